package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssignmentLinesTest {
    @Test
    void valuesSurviveFormatThenParseInOrder() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("input_string", "a=b c");
        values.put("epochs", "10");
        values.put("empty", "");
        assertThat(AssignmentLines.parse("parameters", AssignmentLines.format(values))).containsExactlyEntriesOf(values);
    }

    /** The Snippet Generator used to drop type: 'file' (the form had no way to say it). */
    @Test
    void dataPathsOfBothTypesSurviveFormatThenParse() {
        Map<String, Map<String, String>> paths = new LinkedHashMap<>();
        paths.put("input_datapath", Map.of("datastore", "workspaceblobstore", "path", "in/a b.csv"));
        Map<String, String> file = new LinkedHashMap<>();
        file.put("datastore", "ds");
        file.put("path", "x:y.csv");
        file.put("type", "file");
        paths.put("single_file", file);

        String text = AssignmentLines.formatDataPaths(paths);

        assertThat(text).isEqualTo("input_datapath=workspaceblobstore:in/a b.csv\nsingle_file=[file] ds:x:y.csv");
        Map<String, Map<String, String>> parsed = AssignmentLines.parseDataPaths(text);
        assertThat(parsed.get("input_datapath")).containsOnly(Map.entry("datastore", "workspaceblobstore"),
                Map.entry("path", "in/a b.csv"));
        assertThat(parsed.get("single_file")).containsOnly(Map.entry("datastore", "ds"), Map.entry("path", "x:y.csv"),
                Map.entry("type", "file"));
        assertThat(SubmissionArguments.dataPaths(parsed).get("single_file").getType())
                .isEqualTo(io.jenkins.plugins.azureml.client.models.DataPathAssignment.Type.URI_FILE);
    }

    @Test
    void anExplicitFolderTypeIsWrittenWithoutMarker() {
        assertThat(AssignmentLines.formatDataPaths(
                Map.of("p", Map.of("datastore", "ds", "path", "f", "type", "folder")))).isEqualTo("p=ds:f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"p=workspaceblobstore", "p=:path", "p=ds:", "p=[file] nocolon", "=ds:path"})
    void malformedDataPathLinesNameTheArgumentAndTheForm(String line) {
        assertThatThrownBy(() -> AssignmentLines.parseDataPaths(line)).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("dataPaths: ").hasMessageContaining("name=");
    }

    @Test
    void aLineWithoutNameIsRefusedForTheGivenArgument() {
        assertThatThrownBy(() -> AssignmentLines.parse("tags", "owner=me\nno name here"))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("tags: ")
                .hasMessageContaining("'no name here' has no name");
        assertThat(AssignmentLines.parse("tags", null)).isEmpty();
        assertThat(AssignmentLines.parse("tags", " \n\n")).isEmpty();
    }
}
