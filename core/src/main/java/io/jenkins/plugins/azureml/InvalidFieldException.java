package io.jenkins.plugins.azureml;

import java.util.Objects;

/**
 * Bad user input, reported against the field the user typed it in, with what to do about it. The step's and the
 * trigger's form validation show {@link #getMessage()} next to {@link #getField()}; a Pipeline run fails with it.
 * Messages never contain secrets.
 */
public class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The name of the step argument or trigger field, as written in a Jenkinsfile (e.g. {@code container}). */
    public String getField() {
        return field;
    }

    /** The message without the field prefix, for display next to the field in a form. */
    public String getProblem() {
        return getMessage().substring(field.length() + 2);
    }
}
