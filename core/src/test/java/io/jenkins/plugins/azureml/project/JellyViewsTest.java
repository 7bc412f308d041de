package io.jenkins.plugins.azureml.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Jelly view of the plugin loads in Stapler: its localized texts compile, and it escapes by default. Runs in
 * the engine build, where no Jenkins is at hand; a view that fails here breaks every configure page in Jenkins.
 */
class JellyViewsTest {
    @Test
    void everyViewOfThePluginCompilesInStapler() throws IOException {
        Path resources = ProjectFiles.root().resolve("src/main/resources");
        List<Path> views;
        try (Stream<Path> walk = Files.walk(resources)) {
            views = walk.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
        }
        assertThat(views).as("the plugin's Jelly views").hasSizeGreaterThanOrEqualTo(5);
        List<String> problems = new ArrayList<>();
        for (Path view : views) {
            problems.addAll(JellyLint.check(resources.relativize(view).toString(),
                    Files.readString(view, StandardCharsets.UTF_8)));
        }
        assertThat(problems).isEmpty();
    }

    /** Form errors name fields by the labels the form shows: each label the glue maps to must be a title. */
    @Test
    void theTriggerFormsErrorLabelsAreItsTitles() throws IOException {
        Path root = ProjectFiles.root();
        String form = Files.readString(root.resolve(
                "src/main/java/io/jenkins/plugins/azureml/trigger/AzureBlobTriggerForm.java"), StandardCharsets.UTF_8);
        String labels = form.substring(form.indexOf("LABELS = Map.of("), form.indexOf(");", form.indexOf("LABELS")));
        java.util.regex.Matcher pair = java.util.regex.Pattern.compile("\"(\\w+)\",\\s*\"([^\"]+)\"").matcher(labels);
        String config = Files.readString(root.resolve(
                "src/main/resources/io/jenkins/plugins/azureml/trigger/AzureBlobTrigger/config.jelly"),
                StandardCharsets.UTF_8);
        int count = 0;
        while (pair.find()) {
            count++;
            assertThat(config).as("field %s", pair.group(1))
                    .contains("title=\"${%" + pair.group(2) + "}\" field=\"" + pair.group(1) + "\"");
        }
        assertThat(count).isGreaterThanOrEqualTo(6);
    }

    /** The six titles found at review, in the form they had. */
    @Test
    void parenthesesInATitleAreReportedWithTheFix() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly>\n"
                + "<f:entry title=\"${%Most changes per poll (0: no limit)}\"/>\n"
                + "<f:entry title=\"${%Workspace resource id (v2 batch endpoints)}\"/>\n"
                + "<f:entry title=\"${%Pipeline parameters (name=value, one per line)}\"/>\n"
                + "<f:entry title=\"${%Timeout (minutes, 0 for none)}\"/>\n</j:jelly>";
        List<String> problems = JellyLint.check("config.jelly", view);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("config.jelly:3: ${%Most changes per poll (0: no limit)}")
                .contains("'0: no limit'", "move the text in parentheses to the help file");
        assertThat(problems.get(3)).startsWith("config.jelly:6:");
    }

    @Test
    void realMessageArgumentsAndPlainTextsPass() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly>${%Run}${%Ran at}${%summary(it.count, it.name)}"
                + "${%Listing the container...}${%quoted('a,b', it.x)}</j:jelly>";
        assertThat(JellyLint.check("ok.jelly", view)).isEmpty();
    }

    @Test
    void aViewThatDoesNotEscapeByDefaultIsReported() {
        assertThat(JellyLint.check("raw.jelly", "<j:jelly xmlns:j=\"jelly:core\">${it.name}</j:jelly>"))
                .containsExactly("raw.jelly: does not start with <?jelly escape-by-default='true'?>");
    }

    @Test
    void anUnbalancedArgumentListIsReported() {
        assertThat(JellyLint.compileLikeStapler("%Most changes (per poll")).contains("missing ')'");
    }
}
