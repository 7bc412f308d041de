package io.jenkins.plugins.azureml.blob.log;

/**
 * Makes untrusted text (blob names, messages quoting them) safe to read on one log line: a name cannot break the
 * line, reorder what follows it on screen, or hide characters, so it cannot read as another name.
 *
 * <p>Escaped as {@code \}{@code uXXXX} (or {@code \}{@code u{XXXXX}} beyond the BMP): control characters (C0, C1,
 * DEL), format characters (bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
 * zero-width characters U+200B–U+200F, U+2060–U+2064, U+FEFF, the invisible tags U+E0000–U+E007F, ...), line and
 * paragraph separators U+2028/U+2029, spaces other than U+0020, other characters that render as nothing (Hangul
 * fillers, variation selectors, the Braille blank, ...), unassigned and private-use code points and lone
 * surrogates. A backslash followed by {@code u} is escaped too, so the escaping is reversible and a name that
 * spells out an escape still reads differently from the name it imitates. Names only: a leading or trailing space
 * is escaped, so {@code "a.csv "} and {@code "a.csv"} differ on screen.
 *
 * <p>Only for display: environment variables and manifests keep names exact.
 */
public final class LogEscaper {
    private LogEscaper() {
    }

    /**
     * @param name a blob name exactly as stored
     * @return the name as the polling log shows it
     */
    public static String blobName(String name) {
        return escape(name, true);
    }

    /**
     * @param text free text that may quote names (an error message, a scheduler decision)
     * @return the text with the characters of the class documentation escaped; spaces kept
     */
    public static String line(String text) {
        return escape(text, false);
    }

    private static String escape(String s, boolean edges) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        int n = s.length();
        for (int i = 0; i < n;) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            boolean edgeSpace = edges && cp == ' ' && (i == 0 || i + len == n);
            boolean escapeLike = cp == '\\' && i + 1 < n && s.charAt(i + 1) == 'u';
            if (edgeSpace || escapeLike || unreadable(cp)) {
                if (cp > 0xFFFF) {
                    out.append("\\u{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append('}');
                } else {
                    out.append(String.format(java.util.Locale.ROOT, "\\u%04X", cp));
                }
            } else {
                out.appendCodePoint(cp);
            }
            i += len;
        }
        return out.toString();
    }

    /** Whether the code point would not show as itself on a log line. */
    static boolean unreadable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE:
                return true;
            case Character.SPACE_SEPARATOR:
                return cp != ' ';
            default:
                return invisibleLetterOrMark(cp);
        }
    }

    /** Letters, marks and symbols that render blank: fillers, selectors, joiners outside the format category. */
    private static boolean invisibleLetterOrMark(int cp) {
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || cp == 0x2800 || cp == 0x3164 || cp == 0xFFA0
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }
}
