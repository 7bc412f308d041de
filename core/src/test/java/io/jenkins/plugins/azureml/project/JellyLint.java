package io.jenkins.plugins.azureml.project;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.apache.commons.jexl.ExpressionFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What Jelly and Stapler do with a view when they load it, without Jenkins:
 * <ul>
 * <li>the file is parsed as namespace-aware XML: a file that is not well-formed is no view at all;</li>
 * <li>every attribute value and every text is split into expressions as Jelly's {@code CompositeExpression} does
 * ({@code ${} up to the first {@code }} outside quotes), and each expression is compiled with JEXL 1.1, as
 * Stapler does. JEXL 1.1 reserves {@code size}, {@code empty}, {@code not}, {@code eq}, ... so {@code it.size}
 * does not compile, and the page that includes the view answers 500 (or 404 for an action's missing index);</li>
 * <li>{@code ${%key}} is a message, and {@code ${%key(arg,arg)}} is a message whose arguments Stapler compiles as
 * JEXL expressions ({@code InternationalizedStringExpression}: everything after the first {@code (} is split on
 * top-level commas). A title like {@code ${%Most changes per poll (0: no limit)}} therefore fails;</li>
 * <li>each view escapes by default.</li>
 * </ul>
 * Jenkins' own build of JEXL (not on Maven Central) also reads the conditional {@code a ? b : c}, which Apache JEXL
 * 1.1 does not: the lint is stricter there, so write {@code <j:choose>} instead.
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
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.newSAXParser().parse(new InputSource(new StringReader(text)), new ExpressionCollector(name,
                    problems));
        } catch (SAXParseException e) {
            problems.add(name + ":" + e.getLineNumber() + ": not well-formed XML: " + e.getMessage());
        } catch (SAXException | ParserConfigurationException | IOException e) {
            problems.add(name + ": could not be read as XML: " + e);
        }
        return problems;
    }

    /**
     * Compiles the expressions of one attribute value or text as Jelly would.
     *
     * @param name the file's name, for the report
     * @param line the line the text starts on
     * @param text the attribute value or text, entities already decoded (as Jelly sees it)
     * @param problems where to add what does not compile
     */
    static void checkText(String name, int line, String text, List<String> problems) {
        int at = text.indexOf("${");
        while (at >= 0) {
            String where = name + ":" + (line + (int) text.substring(0, at).chars().filter(c -> c == '\n').count());
            int end = expressionEnd(text, at + 2);
            if (end < 0) {
                problems.add(where + ": missing '}' at the end of expression: " + text.substring(at).strip());
                return;
            }
            String expression = text.substring(at + 2, end);
            String problem = expression.startsWith("%") ? compileLikeStapler(expression) : compileJexl(expression);
            if (problem != null) {
                problems.add(where + ": ${" + expression + "} " + problem);
            }
            at = text.indexOf("${", end + 1);
        }
    }

    /** Jelly's rule: the expression ends at the first '}' outside single or double quotes (backslash escapes). */
    private static int expressionEnd(String text, int from) {
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '}') {
                return i;
            }
        }
        return -1;
    }

    /** @return why JEXL 1.1 refuses the expression, or null */
    static String compileJexl(String expression) {
        try {
            ExpressionFactory.createExpression(expression);
            return null;
        } catch (Exception | Error e) {
            return "does not compile in JEXL 1.1 (" + firstLine(e) + "); a JEXL reserved word (size, empty, not,"
                    + " and, or, eq, ne, lt, gt, le, ge, div, mod, null, true, false, new) cannot be a property name:"
                    + " call the getter (it.getSize()) or give the getter another name";
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
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

    /** Hands every attribute value and every text of the view to {@link #checkText}, with its line. */
    private static final class ExpressionCollector extends DefaultHandler {
        private final String name;
        private final List<String> problems;
        private final StringBuilder pendingText = new StringBuilder();
        private Locator locator;
        private int tagLine = 1;
        private int textLine;

        ExpressionCollector(String name, List<String> problems) {
            this.name = name;
            this.problems = problems;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            flushText();
            tagLine = line();
            for (int i = 0; i < attributes.getLength(); i++) {
                checkText(name, tagLine, attributes.getValue(i), problems);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            flushText();
            tagLine = line();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (pendingText.length() == 0) {
                textLine = tagLine;
            }
            pendingText.append(ch, start, length);
        }

        @Override
        public void endDocument() {
            flushText();
        }

        private void flushText() {
            if (pendingText.length() > 0) {
                checkText(name, textLine, pendingText.toString(), problems);
                pendingText.setLength(0);
            }
        }

        /** The line the parser is on: at a tag, the line where the tag ends. */
        private int line() {
            return locator == null ? 1 : locator.getLineNumber();
        }
    }
}
