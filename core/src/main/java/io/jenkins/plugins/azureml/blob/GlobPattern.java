package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.InvalidFieldException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A case-sensitive glob over blob names: {@code *} matches within one path segment (never '/'), {@code ?} one
 * character other than '/', and {@code **} as a whole segment any number of segments, so {@code **}{@code /*.csv}
 * matches {@code a.csv} and {@code x/y/a.csv}. Every other character is literal.
 */
public final class GlobPattern {
    private final String glob;
    private final Pattern regex;

    private GlobPattern(String glob, Pattern regex) {
        this.glob = glob;
        this.regex = regex;
    }

    /**
     * Compiles a glob.
     *
     * @param field the field the glob was typed in, for the error
     * @param glob the pattern
     * @return the compiled pattern
     * @throws InvalidFieldException if the glob is blank, starts with '/', has an empty segment or uses
     *     {@code **} inside a segment
     */
    public static GlobPattern compile(String field, String glob) {
        if (glob == null || glob.isBlank()) {
            throw new InvalidFieldException(field, "a pattern is empty; remove it or write one such as **/*.csv");
        }
        if (glob.startsWith("/")) {
            throw new InvalidFieldException(field, "pattern '" + glob + "' starts with '/'; patterns are relative to "
                    + "the prefix's folder, so write it without the leading '/'");
        }
        StringBuilder re = new StringBuilder();
        String[] segments = glob.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty()) {
                throw new InvalidFieldException(field, "pattern '" + glob + "' has an empty path segment ('//' or a "
                        + "trailing '/'); write for example data/**/*.csv");
            }
            if (segment.equals("**")) {
                re.append(last ? ".*" : "(?:[^/]*/)*");
                continue;
            }
            if (segment.contains("**")) {
                throw new InvalidFieldException(field, "pattern '" + glob + "' uses '**' inside a segment; '**' must "
                        + "be a whole segment (a/**/b.csv), use '*' within a name");
            }
            appendSegment(re, segment);
            if (!last) {
                re.append('/');
            }
        }
        return new GlobPattern(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    private static void appendSegment(StringBuilder re, String segment) {
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
    }

    /**
     * Whether the pattern matches the whole of the given path.
     *
     * @param path a blob name relative to the prefix's folder
     * @return true on a match
     */
    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    /** The glob as written. */
    public String glob() {
        return glob;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobPattern && ((GlobPattern) o).glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(glob);
    }

    @Override
    public String toString() {
        return glob;
    }
}
