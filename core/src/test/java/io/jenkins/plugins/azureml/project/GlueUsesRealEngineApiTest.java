package io.jenkins.plugins.azureml.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the plugin's Jenkins glue and its JenkinsRule tests ({@code src/main/java}, {@code src/test/java}) against
 * the engine's compiled classes (main and test: the simulator, Azurite) and fails on every
 * error that concerns an engine type: a method, constructor or type of the engine that does not exist, or is called
 * with the wrong arguments. Where the Jenkins Maven repository is unreachable the Jenkins types cannot resolve, and
 * those errors are expected; this test reads past them, so the engine/glue boundary is still checked by a compiler.
 * Where the plugin build runs, the same compilation has no errors at all.
 *
 * <p>Limit: javac does not resolve a call one of whose arguments has an unresolved (Jenkins) type, so such calls are
 * checked only by the plugin build.
 */
class GlueUsesRealEngineApiTest {
    /** An engine type named in a diagnostic: the glue's own packages are not the engine. */
    private static final Pattern ENGINE_TYPE = Pattern.compile(
            "io\\.jenkins\\.plugins\\.azureml\\.(InvalidFieldException|client|blob|run)\\b");
    /** Errors that javac gives for a wrong call or a wrong type, as opposed to a symbol it could not resolve at all. */
    private static final List<String> MISUSE_CODES = List.of(
            "compiler.err.cant.apply.symbol", "compiler.err.cant.apply.symbols", "compiler.err.prob.found.req",
            "compiler.err.report.access", "compiler.err.not.def.public.cant.access", "compiler.err.abstract.cant.be.instantiated",
            "compiler.err.does.not.override.abstract", "compiler.err.unreported.exception.need.to.catch.or.throw",
            "compiler.err.name.clash.same.erasure", "compiler.err.name.clash.same.erasure.no.override",
            "compiler.err.already.defined");

    @Test
    void glueCompilesAgainstTheEngineApi(@TempDir Path out) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (String folder : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> walk = Files.walk(ProjectFiles.root().resolve(folder))) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).as("glue sources and their JenkinsRule tests").hasSizeGreaterThan(15);

        List<Diagnostic<? extends JavaFileObject>> errors = compile(files, out);
        List<String> engineProblems = errors.stream()
                .filter(GlueUsesRealEngineApiTest::concernsTheEngine)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
        assertThat(engineProblems).isEmpty();
    }

    private static boolean concernsTheEngine(Diagnostic<? extends JavaFileObject> d) {
        String message = d.getMessage(Locale.ROOT);
        if (d.getCode().startsWith("compiler.err.cant.resolve")) {
            // "cannot find symbol ... location: class io.jenkins.plugins.azureml.blob.BlobWatch": a missing engine member.
            int location = message.indexOf("location:");
            return location >= 0 && ENGINE_TYPE.matcher(message.substring(location)).find();
        }
        if (d.getCode().equals("compiler.err.doesnt.exist") || d.getCode().equals("compiler.err.cant.resolve.location")) {
            return ENGINE_TYPE.matcher(message).find();
        }
        // With Jenkins types unresolved, javac does not report misuse of them (their error type fits anything), so a
        // wrong call or type left standing involves only types that did resolve: the engine's, the SDK's, the JDK's.
        return MISUSE_CODES.contains(d.getCode());
    }

    private static List<Diagnostic<? extends JavaFileObject>> compile(List<Path> files, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-proc:none", "-Xmaxerrs", "100000", "-d", out.toString(),
                    "-cp", System.getProperty("java.class.path") + File.pathSeparator + out);
            javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .collect(Collectors.toList());
    }
}
