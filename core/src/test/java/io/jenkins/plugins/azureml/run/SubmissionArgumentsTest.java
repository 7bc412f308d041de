package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.DataPathAssignment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubmissionArgumentsTest {
    /** Groovy hands over GStrings, numbers and booleans: what the service gets is their text. */
    @Test
    void valuesOfAnyTypeBecomeTheirTextInOrder() {
        Map<Object, Object> groovy = new LinkedHashMap<>();
        groovy.put("epochs", 10);
        groovy.put("input_string", new StringBuilder("sample_string3"));
        groovy.put("dry_run", false);
        assertThat(SubmissionArguments.strings("parameters", groovy)).containsExactly(Map.entry("epochs", "10"),
                Map.entry("input_string", "sample_string3"), Map.entry("dry_run", "false"));
        assertThat(SubmissionArguments.strings("tags", null)).isEmpty();
    }

    @Test
    void dataPathsAreFoldersUnlessTheTypeSaysFile() {
        Map<String, Object> groovy = new LinkedHashMap<>();
        groovy.put("input_datapath", Map.of("datastore", "workspaceblobstore", "path", "in/a b.csv"));
        groovy.put("single_file", Map.of("datastore", "ds", "path", "x.csv", "type", "File"));
        Map<String, DataPathAssignment> paths = SubmissionArguments.dataPaths(groovy);
        assertThat(paths.keySet()).containsExactly("input_datapath", "single_file");
        assertThat(paths.get("input_datapath")).isEqualTo(new DataPathAssignment("workspaceblobstore", "in/a b.csv"));
        assertThat(paths.get("input_datapath").getType()).isEqualTo(DataPathAssignment.Type.URI_FOLDER);
        assertThat(paths.get("single_file").getType()).isEqualTo(DataPathAssignment.Type.URI_FILE);
    }

    static List<Object[]> badDataPaths() {
        return List.of(
                new Object[] {Map.of("p", "workspaceblobstore:x.csv"), "must be a map like"},
                new Object[] {Map.of("p", Map.of("datastore", "ds")), "needs both datastore and path"},
                new Object[] {Map.of("p", Map.of("datastore", " ", "path", "x")), "needs both datastore and path"},
                new Object[] {Map.of("p", Map.of("datastore", "ds", "path", "x", "typo", "file")), "unknown key 'typo'"},
                new Object[] {Map.of("p", Map.of("datastore", "ds", "path", "x", "type", "table")), "use 'folder'"},
                new Object[] {Map.of(" ", Map.of("datastore", "ds", "path", "x")), "A datapath name is empty"});
    }

    @ParameterizedTest
    @MethodSource("badDataPaths")
    void badDataPathsNameTheArgumentAndTheFix(Map<?, ?> groovy, String expected) {
        assertThatThrownBy(() -> SubmissionArguments.dataPaths(groovy)).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("dataPaths: ").hasMessageContaining(expected);
    }

    @Test
    void missingValuesAndEmptyNamesAreRefused() {
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("input_string", null);
        assertThatThrownBy(() -> SubmissionArguments.strings("parameters", missing))
                .isInstanceOf(InvalidFieldException.class).hasMessage("parameters: 'input_string' has no value.");
        assertThatThrownBy(() -> SubmissionArguments.strings("tags", Map.of("", "x")))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("tags: A name is empty");
    }

    @Test
    void mapArgumentsMustBeMaps() {
        assertThat(SubmissionArguments.map("parameters", Map.of("a", "b"))).isEqualTo(Map.of("a", "b"));
        assertThat(SubmissionArguments.map("tags", null)).isNull();
        assertThatThrownBy(() -> SubmissionArguments.map("parameters", "a=b")).isInstanceOf(InvalidFieldException.class)
                .hasMessage("parameters: Must be a map like parameters: [name: 'value'], not a String.");
        assertThatThrownBy(() -> SubmissionArguments.map("dataPaths", List.of("x")))
                .hasMessageStartingWith("dataPaths: Must be a map like dataPaths: [input_datapath: [datastore:");
    }
}
