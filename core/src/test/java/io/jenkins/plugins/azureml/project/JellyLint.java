package io.jenkins.plugins.azureml.project;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.jexl.ExpressionFactory;

/**
 * What Stapler does with a Jelly view's localized texts, without Jenkins: {@code ${%key}} is a message, and
 * {@code ${%key(arg,arg)}} is a message whose arguments Stapler compiles as JEXL expressions when the view is
 * loaded ({@code InternationalizedStringExpression}: everything after the first {@code (} is split on top-level
 * commas). A title like {@code ${%Most changes per poll (0: no limit)}} therefore fails to compile and breaks every
 * page that includes the view. Also checks that each view escapes by default.
 */
final class JellyLint {
    static final String ESCAPE_BY_DEFAULT = "<?jelly escape-by-default='true'?>";

    private JellyLint() {
    }

    /**
     * @param name the file's name, for the report
     * @param text the Jelly view
     * @return one line per problem; empty when Stapler would load the view
     */
    static List<String> check(String name, String text) {
        List<String> problems = new ArrayList<>();
        if (!text.stripLeading().startsWith(ESCAPE_BY_DEFAULT)) {
            problems.add(name + ": does not start with " + ESCAPE_BY_DEFAULT);
        }
        for (int at = text.indexOf("${%"); at >= 0; at = text.indexOf("${%", at + 3)) {
            int end = closingBrace(text, at + 2);
            int line = 1 + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
            if (end < 0) {
                problems.add(name + ":" + line + ": unclosed ${%");
                break;
            }
            String expression = text.substring(at + 2, end);
            String problem = compileLikeStapler(expression);
            if (problem != null) {
                problems.add(name + ":" + line + ": ${" + expression + "} " + problem);
            }
        }
        return problems;
    }

    /** The index of the brace that closes the expression whose text starts at {@code from}, or -1. */
    private static int closingBrace(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /**
     * @param expression the text after {@code ${}, starting with {@code %}
     * @return why Stapler would refuse it, or null
     */
    static String compileLikeStapler(String expression) {
        String text = expression.substring(1);
        int open = text.indexOf('(');
        if (open < 0) {
            return null;
        }
        String rest = text.substring(open + 1);
        while (!rest.isEmpty()) {
            String token = argument(rest);
            if (token == null) {
                return "is missing ')' at the end (Stapler reads '(' as the start of message arguments)";
            }
            try {
                ExpressionFactory.createExpression(token);
            } catch (Exception | Error e) {
                return "has message argument '" + token + "', which is not an expression (Stapler reads '(' as the"
                        + " start of message arguments; move the text in parentheses to the help file)";
            }
            rest = rest.substring(token.length() + 1);
        }
        return null;
    }

    /** Stapler's tokenizer: the next argument of "arg,arg)" (parentheses and quotes balanced), or null. */
    private static String argument(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ',':
                    if (depth == 0) {
                        return text.substring(0, i);
                    }
                    break;
                case '(', '{', '[':
                    depth++;
                    break;
                case ')':
                    if (depth == 0) {
                        return text.substring(0, i);
                    }
                    depth--;
                    break;
                case '}', ']':
                    depth--;
                    break;
                case '"', '\'':
                    i = text.indexOf(c, i + 1);
                    if (i < 0) {
                        return null;
                    }
                    break;
                default:
                    break;
            }
        }
        return null;
    }
}
