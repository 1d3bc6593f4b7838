package org.dermatrend.service;

/**
 * What may be logged about an unexpected exception: its type and where it was thrown, for each cause,
 * but never its message. Messages can carry request data (a database driver's message lists the
 * statement's bound values, which may include a patient reference), and logs must not.
 */
public final class SafeLog {
    private SafeLog() {
    }

    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- caused by ");
            }
            sb.append(t.getClass().getName());
            StackTraceElement[] trace = t.getStackTrace();
            for (int i = 0; i < Math.min(4, trace.length); i++) {
                sb.append(i == 0 ? " at " : ", ").append(trace[i].getClassName()).append('.').append(trace[i].getMethodName())
                        .append(':').append(trace[i].getLineNumber());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
