package org.dermatrend.decode;

import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * EXIF orientation (tag 0x0112, values 1..8): how the stored pixels must be turned so that the
 * scene is upright. Every coordinate dermatrend reports is in the upright frame.
 *
 * <table>
 * <tr><th>value</th><th>to make upright</th></tr>
 * <tr><td>1</td><td>nothing</td></tr>
 * <tr><td>2</td><td>mirror left–right</td></tr>
 * <tr><td>3</td><td>rotate 180°</td></tr>
 * <tr><td>4</td><td>mirror top–bottom</td></tr>
 * <tr><td>5</td><td>transpose (mirror about the top-left/bottom-right diagonal)</td></tr>
 * <tr><td>6</td><td>rotate 90° clockwise</td></tr>
 * <tr><td>7</td><td>transverse (mirror about the other diagonal)</td></tr>
 * <tr><td>8</td><td>rotate 90° counter-clockwise</td></tr>
 * </table>
 */
public final class Orientation {
    private Orientation() {
    }

    /**
     * Turns stored pixels upright.
     *
     * @return a new {@code Mat} owned by the caller (a copy even for orientation 1)
     */
    public static Mat toUpright(Mat stored, int orientation) {
        Mat out = new Mat();
        switch (orientation) {
            case 2:
                Core.flip(stored, out, 1);
                break;
            case 3:
                Core.flip(stored, out, -1);
                break;
            case 4:
                Core.flip(stored, out, 0);
                break;
            case 5:
                Core.transpose(stored, out);
                break;
            case 6:
                Core.rotate(stored, out, Core.ROTATE_90_CLOCKWISE);
                break;
            case 7:
                Core.transpose(stored, out);
                Core.flip(out, out, -1);
                break;
            case 8:
                Core.rotate(stored, out, Core.ROTATE_90_COUNTERCLOCKWISE);
                break;
            default:
                stored.copyTo(out);
                break;
        }
        return out;
    }

    /**
     * The inverse of {@link #toUpright}: how a camera would have stored an upright scene under this
     * orientation tag. Used to build test photos and by the phantom renderer.
     *
     * @return a new {@code Mat} owned by the caller
     */
    public static Mat fromUpright(Mat upright, int orientation) {
        if (orientation == 6) {
            return toUpright(upright, 8);
        }
        if (orientation == 8) {
            return toUpright(upright, 6);
        }
        return toUpright(upright, orientation);
    }
}
