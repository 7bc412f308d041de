package io.jenkins.plugins.azureml.pipeline;

import java.io.PrintWriter;

/**
 * Form input a step cannot be made from. The Snippet Generator prints the exception of a step's
 * {@code newInstance} in place of the snippet ({@code Snippetizer.doGenerateSnippet} catches runtime exceptions and
 * shows {@code Functions.printThrowable}, which uses an overridden {@link #printStackTrace(PrintWriter)} as it is):
 * so the user reads one line naming the field by its label and the fix, where the snippet would be, instead of a
 * stack trace or, for a {@code FormException}, an empty box.
 */
final class SnippetProblem extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param label the field's label on the form
     * @param problem what is wrong and how to fix it
     */
    SnippetProblem(String label, String problem) {
        super("Cannot generate the snippet: " + label + ": " + problem);
    }

    @Override
    public void printStackTrace(PrintWriter w) {
        w.println(getMessage());
    }
}
