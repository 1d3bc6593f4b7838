package org.dermatrend.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The transform algebra everything else rests on, against hand-computed values. */
class HomographyTest {

    @Test
    void composesInTheOrderItsNameSays() {
        Homography shift = Homography.translation(10, -4);
        Homography doubleSize = Homography.of(2, 0, 0, 0, 2, 0, 0, 0, 1);
        // after(first): apply first, then this.
        assertArrayEquals(new double[] {2 * 3 + 10, 2 * 5 - 4}, shift.after(doubleSize).apply(3, 5), 1e-12);
        assertArrayEquals(new double[] {2 * (3 + 10), 2 * (5 - 4)}, doubleSize.after(shift).apply(3, 5), 1e-12);
    }

    @Test
    void inverseUndoesAPerspectiveTransform() {
        Homography h = Homography.of(1.1, 0.05, 30, -0.04, 0.95, -12, 1e-4, -2e-4, 1);
        double[] p = h.apply(123.4, 567.8);
        assertArrayEquals(new double[] {123.4, 567.8}, h.inverse().apply(p[0], p[1]), 1e-9);
        assertEquals(0, h.after(h.inverse()).cornerErrorPx(Homography.identity(), 4000, 3000), 1e-8);
    }

    @Test
    void resizeKeepsPixelCentresAligned() {
        // Halving: the centre of pixels 0 and 1 (x = 0.5) becomes pixel 0 of the half-size copy.
        assertArrayEquals(new double[] {0, 0}, Homography.resize(0.5, 0.5).apply(0.5, 0.5), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Homography.resize(0.5, 0.5).inverse().apply(0, 0), 1e-12);
    }

    @Test
    void areaScaleAndCornerErrorHaveTheirUnits() {
        Homography zoom = Homography.of(1.25, 0, 0, 0, 1.25, 0, 0, 0, 1);
        assertEquals(1.5625, zoom.areaScaleAt(100, 100), 1e-12);
        Homography shifted = Homography.translation(3, 4);
        assertEquals(5, shifted.cornerErrorPx(Homography.identity(), 640, 480), 1e-12);
        assertEquals(5, shifted.maxCornerDistancePx(Homography.identity(), 640, 480), 1e-12);
    }

    @Test
    void refusesWhatIsNotAHomography() {
        assertThrows(IllegalArgumentException.class, () -> Homography.of(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Homography.of(1, 0, Double.NaN, 0, 1, 0, 0, 0, 1));
        assertThrows(IllegalStateException.class, () -> Homography.of(1, 2, 0, 2, 4, 0, 0, 0, 1).inverse());
    }
}
