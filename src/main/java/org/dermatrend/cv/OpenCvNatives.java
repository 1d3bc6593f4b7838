package org.dermatrend.cv;

/**
 * Loads the OpenCV native library shipped in the openpnp jar. Call it once from the wiring point
 * ({@code Main}, a test extension) before any {@code Mat} is made; later calls do nothing.
 */
public final class OpenCvNatives {
    private static boolean loaded;

    private OpenCvNatives() {
    }

    /** Extracts and loads the native library; safe to call from several threads. */
    public static synchronized void load() {
        if (!loaded) {
            nu.pattern.OpenCV.loadLocally();
            loaded = true;
        }
    }
}
