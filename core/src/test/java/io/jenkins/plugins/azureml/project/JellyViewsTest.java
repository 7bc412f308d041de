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
 * Every Jelly view of the plugin loads in Stapler: it is well-formed XML, every expression and localized text
 * compiles in JEXL 1.1, and it escapes by default. Runs in the engine build, where no Jenkins is at hand; a view
 * that fails here breaks every page that includes it in Jenkins.
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
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly xmlns:j=\"jelly:core\" xmlns:f=\"/lib/form\">\n"
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

    /** The two views review found broken in a real Jenkins, as they were: JEXL 1.1 reserves {@code size}. */
    @Test
    void aReservedWordAsAPropertyIsReportedWhereverTheExpressionStands() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly xmlns:j=\"jelly:core\" xmlns:st=\"jelly:stapler\">\n"
                + "  <j:forEach var=\"c\" items=\"${row.changes}\">\n"
                + "    <li id=\"${c.anchor}\"><code>${c.name}</code>\n"
                + "      <st:nbsp/>${c.size}, ETag ${c.etag}, ${%modified} ${c.lastModified}:\n"
                + "    </li>\n  </j:forEach>\n"
                + "  <j:if test=\"${it.size != null}\">, ${it.size} ${%bytes}</j:if>\n"
                + "  <j:if test=\"${!empty(it.changes) &amp;&amp; it.empty}\"/>\n"
                + "</j:jelly>";
        List<String> problems = JellyLint.check("index.jelly", view);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("index.jelly:5: ${c.size} does not compile in JEXL 1.1")
                .contains("reserved word", "it.getSize()");
        assertThat(problems.get(1)).startsWith("index.jelly:8: ${it.size != null}");
        assertThat(problems.get(2)).startsWith("index.jelly:8: ${it.size}");
        assertThat(problems.get(3)).startsWith("index.jelly:9: ${!empty(it.changes) && it.empty}");
    }

    @Test
    void theFunctionsSizeAndEmptyAndGettersCalledByNamePass() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly xmlns:j=\"jelly:core\">"
                + "<j:if test=\"${size(it.rows) > 0 and !empty(it.rows)}\">${it.getSize()} ${it.sizeText}"
                + " ${h.escape('a}b')}</j:if></j:jelly>";
        assertThat(JellyLint.check("ok.jelly", view)).isEmpty();
    }

    @Test
    void aViewThatIsNotWellFormedIsReported() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly xmlns:j=\"jelly:core\">\n<j:if test=\"${a}\">\n</j:jelly>";
        assertThat(JellyLint.check("broken.jelly", view)).singleElement().asString()
                .startsWith("broken.jelly:4: not well-formed XML").contains("</j:if>");
        assertThat(JellyLint.check("prefix.jelly", JellyLint.ESCAPE_BY_DEFAULT + "<j:jelly><f:entry/></j:jelly>"))
                .singleElement().asString().contains("not well-formed XML");
    }

    @Test
    void anUnclosedExpressionIsReported() {
        assertThat(JellyLint.check("open.jelly", JellyLint.ESCAPE_BY_DEFAULT
                + "<j:jelly xmlns:j=\"jelly:core\">${it.name</j:jelly>"))
                .singleElement().asString().startsWith("open.jelly:1: missing '}'");
    }

    @Test
    void realMessageArgumentsAndPlainTextsPass() {
        String view = JellyLint.ESCAPE_BY_DEFAULT + "\n<j:jelly xmlns:j=\"jelly:core\">${%Run}${%Ran at}"
                + "${%summary(it.count, it.name)}${%Listing the container...}${%quoted('a,b', it.x)}</j:jelly>";
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
