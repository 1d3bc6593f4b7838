package org.dermatrend.service;

/**
 * One field of a correction (a JSON merge patch, RFC 7396): left as it is when absent, set to the value
 * when present ({@code null} clears a field that may be empty).
 */
public record Change<T>(boolean present, T value) {
    private static final Change<?> KEEP = new Change<>(false, null);

    @SuppressWarnings("unchecked")
    public static <T> Change<T> keep() {
        return (Change<T>) KEEP;
    }

    public static <T> Change<T> to(T value) {
        return new Change<>(true, value);
    }

    /** The value after the change. */
    public T or(T current) {
        return present ? value : current;
    }

    /** Whether applying it to {@code current} changes anything. */
    public boolean changes(T current) {
        return present && !java.util.Objects.equals(value, current);
    }
}
