package io.jenkins.plugins.azureml.run;

import java.nio.charset.StandardCharsets;

/**
 * Turns bytes of a run's log into console text: UTF-8, a trailing carriage return dropped, and every control
 * character but tab removed, so a log cannot move the cursor over earlier lines, hide text or forge a Jenkins
 * console note (which starts with an escape sequence).
 */
final class LogText {
    private LogText() {
    }

    static String line(byte[] bytes, int from, int to) {
        return clean(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }

    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || !Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** e.g. {@code 12 bytes}, {@code 3 KiB}, {@code 1.5 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
