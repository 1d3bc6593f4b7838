package org.dermatrend.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * How the C allocator behind OpenCV and PyTorch hands freed memory back. glibc keeps one arena per thread
 * that allocates, and keeps the pages of blocks freed in an arena for reuse; a service whose threads take
 * turns analysing 12-megapixel photos (images of 1–150 MB each) then holds, per thread, the high-water mark
 * of every analysis it ran. Measured on a burst of 16 12 MP uploads (docs/benchmarks.md): peak resident
 * memory 2 135 MB with glibc's defaults. The service therefore limits the arenas to two
 * ({@link #boundForService}, as {@code MALLOC_ARENA_MAX=2} in the environment would) and gives the free
 * pages back after each piece of work ({@link #trim}). Both do nothing off Linux or without glibc; an
 * operator's own {@code MALLOC_ARENA_MAX} wins.
 *
 * <p>Not done: a fixed mapping threshold ({@code MALLOC_MMAP_THRESHOLD_=1048576}) lowered the burst's peak
 * by a further 50 MB but made each analysis about 20 % slower (every large image mapped and zeroed anew).
 */
public final class NativeMemory {
    /** glibc's {@code mallopt} parameter for the number of arenas (malloc.h). */
    private static final int M_ARENA_MAX = -8;
    static final int ARENAS = 2;

    private interface C extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    private static final C LIBC = load();

    private NativeMemory() {
    }

    private static C load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            C c = Native.load("c", C.class);
            c.malloc_trim(0); // present in glibc only: a C library without it is not glibc
            return c;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Limits glibc's arenas for a long-running service.
     *
     * @return what was done, for the start-up log
     */
    public static String boundForService() {
        if (LIBC == null) {
            return "native allocator left as it is (not Linux with glibc)";
        }
        if (System.getenv("MALLOC_ARENA_MAX") != null) {
            return "native allocator: arenas as MALLOC_ARENA_MAX sets them";
        }
        try {
            return LIBC.mallopt(M_ARENA_MAX, ARENAS) == 1 ? "native allocator: " + ARENAS + " arenas, freed pages returned after "
                    + "each analysis" : "native allocator: the arena limit was refused";
        } catch (LinkageError | RuntimeException e) {
            return "native allocator left as it is (" + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * Gives the pages of freed blocks back to the system (glibc's {@code malloc_trim}); called when a piece of
     * work that decoded photos ends. A few milliseconds; nothing off glibc.
     */
    public static void trim() {
        if (LIBC != null) {
            try {
                LIBC.malloc_trim(0);
            } catch (LinkageError | RuntimeException e) {
                // nothing to give back this way
            }
        }
    }

    /** Whether {@link #trim} and {@link #boundForService} act here (Linux with glibc). */
    public static boolean available() {
        return LIBC != null;
    }
}
