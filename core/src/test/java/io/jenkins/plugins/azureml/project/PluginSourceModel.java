package io.jenkins.plugins.azureml.project;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Reads the plugin's Jenkins glue as source, with the JDK's own parser (syntax only: the Jenkins classes it uses
 * cannot be resolved where the Jenkins repository is unreachable). It tells which Pipeline arguments a class
 * accepts: the parameters of its {@code @DataBoundConstructor} and the properties of its {@code @DataBoundSetter}s.
 */
final class PluginSourceModel {
    private final List<CompilationUnitTree> units;
    private final List<String> syntaxErrors;

    private PluginSourceModel(List<CompilationUnitTree> units, List<String> syntaxErrors) {
        this.units = units;
        this.syntaxErrors = syntaxErrors;
    }

    /** Parses every {@code .java} file under the given folders. */
    static PluginSourceModel parse(Path... folders) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> walk = Files.walk(folder)) {
                    walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
                }
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, diagnostics, List.of("-proc:none"), null,
                    fm.getJavaFileObjectsFromPaths(files));
            List<CompilationUnitTree> units = new ArrayList<>();
            task.parse().forEach(units::add);
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.toList());
            return new PluginSourceModel(units, errors);
        }
    }

    int fileCount() {
        return units.size();
    }

    List<String> syntaxErrors() {
        return syntaxErrors;
    }

    /** The Pipeline argument names of the top-level class with this simple name. */
    Set<String> argumentsOf(String className) {
        Set<String> names = new TreeSet<>();
        boolean found = false;
        for (CompilationUnitTree unit : units) {
            for (var type : unit.getTypeDecls()) {
                if (type instanceof ClassTree && ((ClassTree) type).getSimpleName().contentEquals(className)) {
                    found = true;
                    collectArguments((ClassTree) type, names);
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("No class " + className + " in the plugin sources");
        }
        return names;
    }

    private static void collectArguments(ClassTree type, Set<String> names) {
        for (var member : type.getMembers()) {
            if (!(member instanceof MethodTree)) {
                continue;
            }
            MethodTree method = (MethodTree) member;
            if (has(method.getModifiers(), "DataBoundConstructor")) {
                for (VariableTree p : method.getParameters()) {
                    names.add(p.getName().toString());
                }
            } else if (has(method.getModifiers(), "DataBoundSetter")) {
                String name = method.getName().toString();
                if (name.startsWith("set") && name.length() > 3) {
                    names.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
                }
            }
        }
    }

    /** The value of every {@code @Symbol("...")} in the sources, e.g. the step's and the trigger's names. */
    Set<String> symbols() {
        Set<String> symbols = new TreeSet<>();
        for (CompilationUnitTree unit : units) {
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitAnnotation(AnnotationTree node, Void unused) {
                    if (node.getAnnotationType().toString().endsWith("Symbol")) {
                        node.getArguments().forEach(a -> symbols.add(a.toString()
                                .replaceFirst("^value\\s*=\\s*", "").replace("\"", "")));
                    }
                    return super.visitAnnotation(node, unused);
                }
            }.scan(unit, null);
        }
        return symbols;
    }

    private static boolean has(ModifiersTree modifiers, String annotation) {
        return modifiers.getAnnotations().stream()
                .anyMatch(a -> a.getAnnotationType().toString().endsWith(annotation));
    }
}
