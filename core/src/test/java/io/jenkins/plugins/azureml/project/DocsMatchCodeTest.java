package io.jenkins.plugins.azureml.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the user guide honest: every {@code triggerAzureMlPipeline(...)}, {@code azureMlRunMetrics(...)} and
 * {@code azureBlob(...)} example in the
 * README, {@code docs/} and {@code docs/examples/} may only use argument names the plugin's classes declare, and the
 * README's build commands are the ones {@code .ci/run} runs. The plugin sources are read with the JDK's parser,
 * so this also fails on a syntax error in the glue where the plugin build cannot run.
 */
class DocsMatchCodeTest {
    private static final Map<String, String> CALL_TO_CLASS = Map.of(
            "triggerAzureMlPipeline", "AzureMlPipelineStep",
            "azureMlRunMetrics", "AzureMlRunMetricsStep",
            "azureBlob", "AzureBlobTrigger");

    private static Path root;
    private static PluginSourceModel plugin;

    @BeforeAll
    static void readPluginSources() throws IOException {
        root = ProjectFiles.root();
        plugin = PluginSourceModel.parse(root.resolve("src/main/java"), root.resolve("src/test/java"));
    }

    @Test
    void pluginSourcesParse() {
        assertThat(plugin.fileCount()).as("plugin source files").isGreaterThan(10);
        assertThat(plugin.syntaxErrors()).isEmpty();
    }

    @Test
    void stepAndTriggerHaveTheDocumentedSymbols() {
        assertThat(plugin.symbols()).containsAll(CALL_TO_CLASS.keySet());
    }

    @Test
    void everyExampleUsesOnlyRealArgumentNames() throws IOException {
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (Path doc : documents()) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : CALL_TO_CLASS.entrySet()) {
                Set<String> known = plugin.argumentsOf(e.getValue());
                for (PipelineCallScanner.Call call : PipelineCallScanner.find(text, e.getKey())) {
                    calls++;
                    for (String name : call.argumentNames()) {
                        if (!known.contains(name)) {
                            problems.add(root.relativize(doc) + ":" + call.line() + ": " + e.getKey() + " has no argument '"
                                    + name + "' (it has " + known + ")");
                        }
                    }
                }
            }
        }
        assertThat(calls).as("example calls found in the docs").isGreaterThanOrEqualTo(8);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDocumentedTriggerAndStepArgumentIsShownInTheConfigurationReference() throws IOException {
        String reference = Files.readString(root.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        for (String className : CALL_TO_CLASS.values()) {
            for (String argument : plugin.argumentsOf(className)) {
                assertThat(reference).as("docs/configuration.md documents %s.%s", className, argument)
                        .contains("`" + argument + "`");
            }
        }
    }

    @Test
    void readmeBuildCommandsAreTheOnesCiRuns() throws IOException {
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        String ci = Files.readString(root.resolve(".ci/run"), StandardCharsets.UTF_8)
                .replace("\"$MVN\"", "mvn").replace(" -B -ntp", "");
        Matcher m = Pattern.compile("`(mvn [^`]*verify)`").matcher(readme);
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).contains("-P")) {
                commands.add(m.group(1));
            }
        }
        assertThat(commands).contains("mvn verify", "mvn -f core/pom.xml verify");
        for (String command : commands) {
            assertThat(ci).as(".ci/run runs the README's `%s`", command).contains(command);
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        try (Stream<Path> walk = Files.walk(root.resolve("docs"))) {
            docs.addAll(walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith("Jenkinsfile"))
                    .sorted().collect(Collectors.toList()));
        }
        return docs;
    }
}
