package io.jenkins.plugins.azureml.project;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds calls such as {@code triggerAzureMlPipeline(credentialsId: 'x', ...)} in Groovy text and returns their
 * top-level named arguments. Strings, nested maps, lists and closures are skipped over, so
 * {@code dataPaths: [input: [datastore: 'ds', path: p]]} yields only {@code dataPaths}.
 */
final class PipelineCallScanner {
    private static final Pattern NAMED_ARGUMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*:");

    /** One call: where it starts (1-based line) and its named arguments in order. */
    record Call(int line, List<String> argumentNames) {
    }

    private PipelineCallScanner() {
    }

    static List<Call> find(String text, String function) {
        List<Call> calls = new ArrayList<>();
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(function) + "\\s*\\(").matcher(text);
        while (m.find()) {
            int open = m.end() - 1;
            int close = matchingClose(text, open);
            List<String> names = new ArrayList<>();
            for (String argument : splitTopLevel(text.substring(open + 1, close))) {
                Matcher named = NAMED_ARGUMENT.matcher(argument.trim());
                if (named.find()) {
                    names.add(named.group(1));
                }
            }
            calls.add(new Call(lineOf(text, m.start()), names));
        }
        return calls;
    }

    private static int matchingClose(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(text, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("Unbalanced call starting at line " + lineOf(text, open));
    }

    private static List<String> splitTopLevel(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(arguments, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(arguments.substring(start));
        return parts;
    }

    /** The index of the quote that closes the string opened at {@code start}, triple quotes included. */
    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        String triple = String.valueOf(quote).repeat(3);
        if (text.startsWith(triple, start)) {
            int end = text.indexOf(triple, start + 3);
            return end < 0 ? text.length() - 1 : end + 2;
        }
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote || c == '\n') {
                return i;
            }
        }
        return text.length() - 1;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
