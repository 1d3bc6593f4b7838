package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dermatrend.cv.OpenCvNatives;
import org.dermatrend.cv.PixelPolygon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** The region two photos share: polygon clipping and its raster mask, against areas known by hand. */
class SharedRegionTest {

    @BeforeAll
    static void natives() {
        OpenCvNatives.load();
    }

    @Test
    void overlappingRectanglesShareTheirIntersection() {
        double[][] a = SharedRegion.rectangle(0, 0, 100, 80);
        double[][] b = SharedRegion.rectangle(60, 50, 200, 200);
        assertEquals(40 * 30, SharedRegion.area(SharedRegion.intersect(a, b)), 1e-9);
        assertEquals(0, SharedRegion.area(SharedRegion.intersect(a, SharedRegion.rectangle(300, 300, 400, 400))), 1e-9);
    }

    @Test
    void aFrameTurnedBy45DegreesInsideAnotherKeepsItsArea() {
        Homography turn = Homography.translation(500, 500).after(Homography.of(Math.cos(Math.PI / 4), -Math.sin(Math.PI / 4), 0,
                Math.sin(Math.PI / 4), Math.cos(Math.PI / 4), 0, 0, 0, 1)).after(Homography.translation(-50.5, -50.5));
        double[][] mapped = SharedRegion.mappedFrame(turn, 102, 102);
        assertEquals(101 * 101, SharedRegion.area(SharedRegion.intersect(mapped, SharedRegion.rectangle(0, 0, 999, 999))), 1e-6);
    }

    @Test
    void theRasterMaskCoversThePolygonsArea() {
        PixelPolygon triangle = new PixelPolygon(new double[][] {{10, 10}, {410, 10}, {10, 310}});
        Mat mask = triangle.toMask(400, 500);
        double pixels = Core.countNonZero(mask);
        mask.release();
        // Pixels whose centres lie on the edges are inside: at most about half a pixel along the perimeter.
        double perimeter = 400 + 300 + 500;
        assertEquals(triangle.areaPx(), pixels, 0.6 * perimeter);
    }
}
