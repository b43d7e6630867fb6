package dev.nvmescan.picoclimodels;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Writes, for each package with picocli {@code @Command} classes, a class {@code CommandModels}
 * that builds each command's {@code CommandSpec} with picocli's programmatic API: the model that
 * {@code CommandSpec.forAnnotatedObject} builds from the annotations at run time, by reflection
 * that costs a one-off command most of its start (an annotation proxy class generated for each
 * annotation type, every field read and written through reflection).
 *
 * <p>It mirrors picocli 4.7's {@code CommandReflection}: the class hierarchy from the top, for each
 * class its {@code @Command} attributes, then its annotated fields in declaration order;
 * {@code @Option} and {@code @Parameters} with picocli's default arity, index, label and initial
 * value; {@code @Mixin} (the field's object, made when null), {@code @Spec} (SELF, and MIXEE in a
 * mixin), {@code @ParentCommand}; the standard help options last. A class that uses anything else
 * (another attribute, a method, an argument group, a private or final field, a type other than a
 * class or a collection of one) gets no model, with a note: picocli's reflection then builds it.
 * The scanner's tests compare every generated model with picocli's own.
 *
 * <p>The generated class, package-private: {@code model(Object command)} and
 * {@code create(Class<?> type, Object parent)} (a new command, its {@code @ParentCommand} fields
 * set to {@code parent}) give a model or null; {@code name(Class<?>)} gives a command's name.
 */
@SupportedAnnotationTypes(ModelProcessor.COMMAND)
public final class ModelProcessor extends AbstractProcessor {
    static final String COMMAND = "picocli.CommandLine.Command";
    private static final String OPTION = "picocli.CommandLine.Option", PARAMETERS = "picocli.CommandLine.Parameters",
            MIXIN = "picocli.CommandLine.Mixin", SPEC = "picocli.CommandLine.Spec",
            PARENT = "picocli.CommandLine.ParentCommand", COMMAND_SPEC = "picocli.CommandLine.Model.CommandSpec";
    private static final Set<String> MEMBER_ANNOTATIONS = Set.of(OPTION, PARAMETERS, MIXIN, SPEC, PARENT,
            "picocli.CommandLine.ArgGroup", "picocli.CommandLine.Unmatched");
    /** The usage attributes of {@code @Command} mirrored, and the UsageMessageSpec setter of each. */
    private static final Map<String, String> USAGE = Map.ofEntries(Map.entry("header", "header"),
            Map.entry("description", "description"), Map.entry("footer", "footer"),
            Map.entry("footerHeading", "footerHeading"), Map.entry("headerHeading", "headerHeading"),
            Map.entry("descriptionHeading", "descriptionHeading"), Map.entry("synopsisHeading", "synopsisHeading"),
            Map.entry("optionListHeading", "optionListHeading"), Map.entry("parameterListHeading", "parameterListHeading"),
            Map.entry("commandListHeading", "commandListHeading"), Map.entry("exitCodeListHeading", "exitCodeListHeading"),
            Map.entry("sortOptions", "sortOptions"), Map.entry("sortSynopsis", "sortSynopsis"),
            Map.entry("abbreviateSynopsis", "abbreviateSynopsis"), Map.entry("showDefaultValues", "showDefaultValues"),
            Map.entry("hidden", "hidden"), Map.entry("usageHelpWidth", "width"), Map.entry("usageHelpAutoWidth", "autoWidth"),
            Map.entry("customSynopsis", "customSynopsis"), Map.entry("synopsisSubcommandLabel", "synopsisSubcommandLabel"));
    private static final Set<String> ARG_ATTRIBUTES = Set.of("paramLabel", "defaultValue", "description",
            "descriptionKey", "converter", "hidden", "arity", "hideParamSyntax");
    private static final Set<String> OPTION_ONLY = Set.of("names", "required"), PARAMETERS_ONLY = Set.of("index");

    /** Why a class gets no model. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(Element where, String why) {
            super(where.getSimpleName() + ": " + why);
        }
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement command = processingEnv.getElementUtils().getTypeElement(COMMAND);
        if (command == null)
            return false;
        Map<String, List<TypeElement>> byPackage = new TreeMap<>();
        for (Element e : round.getElementsAnnotatedWith(command)) {
            if (e.getKind() != ElementKind.CLASS || e.getModifiers().contains(Modifier.ABSTRACT)
                    || e.getEnclosingElement().getKind() != ElementKind.PACKAGE)
                continue;
            String pkg = ((PackageElement) e.getEnclosingElement()).getQualifiedName().toString();
            byPackage.computeIfAbsent(pkg, k -> new ArrayList<>()).add((TypeElement) e);
        }
        for (Map.Entry<String, List<TypeElement>> p : byPackage.entrySet())
            write(p.getKey(), p.getValue());
        return false;
    }

    /** Writes {@code pkg.CommandModels} for the command classes of {@code pkg}. */
    private void write(String pkg, List<TypeElement> commands) {
        Map<TypeElement, String> methods = new LinkedHashMap<>();
        List<TypeElement> modelled = new ArrayList<>();
        Map<TypeElement, List<VariableElement>> parents = new LinkedHashMap<>();
        for (TypeElement type : commands) {
            Map<TypeElement, String> more = new LinkedHashMap<>();
            try {
                List<VariableElement> parentFields = new ArrayList<>();
                more.put(type, spec(pkg, type, false, more, parentFields));
                methods.putAll(more);
                modelled.add(type);
                parents.put(type, parentFields);
            } catch (Unsupported u) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
                        "no picocli model generated for " + u.getMessage() + "; picocli's reflection builds it", type);
            }
        }
        if (modelled.isEmpty())
            return;
        StringBuilder s = new StringBuilder();
        s.append("package ").append(pkg).append(";\n\n");
        s.append("import picocli.CommandLine.Model.CommandSpec;\n");
        s.append("import picocli.CommandLine.Model.IGetter;\n");
        s.append("import picocli.CommandLine.Model.ISetter;\n");
        s.append("import picocli.CommandLine.Model.OptionSpec;\n");
        s.append("import picocli.CommandLine.Model.PositionalParamSpec;\n");
        s.append("import picocli.CommandLine.Model.UsageMessageSpec;\n");
        s.append("import picocli.CommandLine.Range;\n\n");
        s.append("/**\n * The picocli models of this package's commands, written by ").append(getClass().getName())
                .append("\n * from their annotations: what picocli builds from them by reflection, built without it.\n */\n");
        s.append("final class CommandModels {\n    private CommandModels() {}\n\n");
        s.append("    /** {@return the model of {@code command}, or null for a class without a generated one} */\n");
        s.append("    static CommandSpec model(Object command) {\n");
        for (TypeElement t : modelled)
            s.append("        if (command.getClass() == ").append(t.getQualifiedName()).append(".class)\n            return ")
                    .append(method(t)).append("((").append(t.getQualifiedName()).append(") command);\n");
        s.append("        return null;\n    }\n\n");
        s.append("    /**\n     * A new command of class {@code type}, its {@code @ParentCommand} fields set to {@code parent}.\n");
        s.append("     * @return its model, or null for a class without a generated model or a constructor without arguments\n     */\n");
        s.append("    static CommandSpec create(Class<?> type, Object parent) {\n");
        for (TypeElement t : modelled) {
            if (!hasNoArgConstructor(t))
                continue;
            s.append("        if (type == ").append(t.getQualifiedName()).append(".class) {\n");
            s.append("            ").append(t.getQualifiedName()).append(" c = new ").append(t.getQualifiedName()).append("();\n");
            for (VariableElement f : parents.get(t))
                s.append("            c.").append(f.getSimpleName()).append(" = (").append(f.asType()).append(") parent;\n");
            s.append("            return ").append(method(t)).append("(c);\n        }\n");
        }
        s.append("        return null;\n    }\n\n");
        s.append("    /** {@return the {@code @Command} name of class {@code type}, or null for a class without a generated model} */\n");
        s.append("    static String name(Class<?> type) {\n");
        for (TypeElement t : modelled) {
            AnnotationValue name = attributes(annotation(t, COMMAND)).get("name");
            if (name != null)
                s.append("        if (type == ").append(t.getQualifiedName()).append(".class)\n            return ")
                        .append(literal(name.getValue())).append(";\n");
        }
        s.append("        return null;\n    }\n");
        for (String m : methods.values())
            s.append('\n').append(m);
        s.append(STANDARD_HELP).append("}\n");
        try (Writer w = processingEnv.getFiler().createSourceFile(pkg + ".CommandModels",
                modelled.toArray(Element[]::new)).openWriter()) {
            w.write(s.toString());
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + pkg + ".CommandModels: " + e);
        }
    }

    /** picocli's AutoHelpMixin (-h/--help, -V/--version), its option specs as picocli makes them. */
    private static final String STANDARD_HELP = """

                /** The standard help options' values, for picocli's AutoHelpMixin fields. */
                private static final class StandardHelp {
                    boolean helpRequested, versionRequested;
                }

                /** The mixin {@code mixinStandardHelpOptions = true} adds: picocli's AutoHelpMixin. */
                @SuppressWarnings("unchecked")
                private static CommandSpec standardHelp() {
                    StandardHelp h = new StandardHelp();
                    CommandSpec s = CommandSpec.wrapWithoutInspection(h);
                    s.addOption(OptionSpec.builder(new String[] {"${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}"})
                            .usageHelp(true).descriptionKey("mixinStandardHelpOptions.help").prompt("")
                            .description("Show this help message and exit.").paramLabel("<helpRequested>")
                            .arity(Range.valueOf("0").unspecified(true)).type(boolean.class).initialValue(false)
                            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.helpRequested")
                            .setter(new ISetter() {
                                @Override
                                public <T> T set(T value) {
                                    T old = (T) (Object) h.helpRequested;
                                    h.helpRequested = (boolean) (Object) value;
                                    return old;
                                }
                            })
                            .getter(new IGetter() {
                                @Override
                                public <T> T get() {
                                    return (T) (Object) h.helpRequested;
                                }
                            }).build());
                    s.addOption(OptionSpec.builder(new String[] {"${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}"})
                            .versionHelp(true).descriptionKey("mixinStandardHelpOptions.version").prompt("")
                            .description("Print version information and exit.").paramLabel("<versionRequested>")
                            .arity(Range.valueOf("0").unspecified(true)).type(boolean.class).initialValue(false)
                            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.versionRequested")
                            .setter(new ISetter() {
                                @Override
                                public <T> T set(T value) {
                                    T old = (T) (Object) h.versionRequested;
                                    h.versionRequested = (boolean) (Object) value;
                                    return old;
                                }
                            })
                            .getter(new IGetter() {
                                @Override
                                public <T> T get() {
                                    return (T) (Object) h.versionRequested;
                                }
                            }).build());
                    return s;
                }
            """;

    /**
     * spec - the source of the method that builds {@code type}'s model
     * @param mixin      a mixin's: the method also takes the mixee, for {@code @Spec(MIXEE)}
     * @param methods    receives the methods of the mixins it uses
     * @param parents    receives its {@code @ParentCommand} fields
     */
    private String spec(String pkg, TypeElement type, boolean mixin, Map<TypeElement, String> methods,
                        List<VariableElement> parents) throws Unsupported {
        StringBuilder b = new StringBuilder();
        b.append("    @SuppressWarnings(\"unchecked\")\n");
        b.append("    private static CommandSpec ").append(method(type)).append('(').append(type.getQualifiedName())
                .append(mixin ? " c, CommandSpec mixee) {\n" : " c) {\n");
        b.append("        CommandSpec s = CommandSpec.wrapWithoutInspection(c);\n");
        List<TypeElement> hierarchy = new ArrayList<>();
        for (TypeElement t = type; t != null && !t.getQualifiedName().contentEquals("java.lang.Object"); t = superclass(t))
            hierarchy.addFirst(t);
        boolean standardHelp = false;
        for (TypeElement t : hierarchy) {
            AnnotationMirror cmd = annotation(t, COMMAND);
            if (cmd != null)
                standardHelp |= commandAttributes(t, cmd, b);
            for (ExecutableElement m : ElementFilter.methodsIn(t.getEnclosedElements()))
                for (AnnotationMirror a : m.getAnnotationMirrors())
                    if (MEMBER_ANNOTATIONS.contains(name(a)))
                        throw new Unsupported(t, "an annotated method, " + m.getSimpleName());
            for (VariableElement f : ElementFilter.fieldsIn(t.getEnclosedElements()))
                member(pkg, t, f, mixin, b, methods, parents);
        }
        if (standardHelp)
            b.append("        s.addMixin(\"mixinStandardHelpOptions\", standardHelp());\n");
        b.append("        return s;\n    }\n");
        return b.toString();
    }

    /** Appends what {@code @Command} sets, as updateCommandAttributes does; whether it asks for the help options. */
    private boolean commandAttributes(TypeElement t, AnnotationMirror cmd, StringBuilder b) throws Unsupported {
        boolean standardHelp = false;
        for (Map.Entry<String, AnnotationValue> e : attributes(cmd).entrySet()) {
            String k = e.getKey();
            Object v = e.getValue().getValue();
            if (USAGE.containsKey(k))
                b.append("        s.usageMessage().").append(USAGE.get(k)).append('(').append(literal(v)).append(");\n");
            else if (k.equals("name"))
                b.append("        s.name(").append(literal(v)).append(");\n");
            else if (k.equals("aliases"))
                b.append("        s.aliases(").append(literal(v)).append(");\n");
            else if (k.equals("version"))
                b.append("        s.version(").append(literal(v)).append(");\n");
            else if (k.equals("exitCodeList"))
                b.append("        s.usageMessage().exitCodeList(UsageMessageSpec.keyValuesMap(").append(literal(v)).append("));\n");
            else if (k.equals("mixinStandardHelpOptions"))
                standardHelp = (Boolean) v;
            else
                throw new Unsupported(t, "@Command(" + k + ")");
        }
        return standardHelp;
    }

    /** Appends what an annotated field adds to the model. */
    private void member(String pkg, TypeElement owner, VariableElement f, boolean mixin, StringBuilder b,
                        Map<TypeElement, String> methods, List<VariableElement> parents) throws Unsupported {
        List<AnnotationMirror> picocli = new ArrayList<>();
        for (AnnotationMirror a : f.getAnnotationMirrors())
            if (MEMBER_ANNOTATIONS.contains(name(a)))
                picocli.add(a);
        if (picocli.isEmpty())
            return;
        if (picocli.size() > 1)
            throw new Unsupported(owner, f.getSimpleName() + " has more than one picocli annotation");
        Set<Modifier> mods = f.getModifiers();
        if (mods.contains(Modifier.PRIVATE) || mods.contains(Modifier.STATIC) || mods.contains(Modifier.FINAL)
                || !packageOf(owner).equals(pkg))
            throw new Unsupported(owner, f.getSimpleName() + " cannot be set from the package (private, static, final or elsewhere)");
        AnnotationMirror a = picocli.getFirst();
        String field = "c." + f.getSimpleName();
        switch (name(a)) {
            case OPTION, PARAMETERS -> arg(owner, f, a, b);
            case MIXIN -> {
                Map<String, AnnotationValue> attrs = attributes(a);
                for (String k : attrs.keySet())
                    if (!k.equals("name"))
                        throw new Unsupported(owner, "@Mixin(" + k + ")");
                String name = attrs.containsKey("name") && !((String) attrs.get("name").getValue()).isEmpty()
                        ? (String) attrs.get("name").getValue() : f.getSimpleName().toString();
                if (f.asType().getKind() != TypeKind.DECLARED)
                    throw new Unsupported(owner, f.getSimpleName() + ": a mixin of a type that is no class");
                TypeElement type = (TypeElement) ((DeclaredType) f.asType()).asElement();
                if (!packageOf(type).equals(pkg) || !hasNoArgConstructor(type) || !((DeclaredType) f.asType()).getTypeArguments().isEmpty())
                    throw new Unsupported(owner, f.getSimpleName() + ": a mixin not of this package or without a constructor without arguments");
                if (!methods.containsKey(type)) {
                    methods.put(type, null);
                    List<VariableElement> mixinParents = new ArrayList<>();
                    methods.put(type, spec(pkg, type, true, methods, mixinParents));
                    if (!mixinParents.isEmpty())
                        throw new Unsupported(owner, f.getSimpleName() + ": a mixin with @ParentCommand");
                }
                String var = "m" + f.getSimpleName();
                b.append("        ").append(type.getQualifiedName()).append(' ').append(var).append(" = ").append(field).append(";\n");
                b.append("        if (").append(var).append(" == null)\n            ").append(field).append(" = ").append(var)
                        .append(" = new ").append(type.getQualifiedName()).append("();\n");
                b.append("        s.addMixin(").append(literal(name)).append(", ").append(method(type)).append('(').append(var)
                        .append(", s).withToString(").append(literal("mixin from member " + genericString(f))).append("));\n");
            }
            case SPEC -> {
                if (!f.asType().toString().equals(COMMAND_SPEC))
                    throw new Unsupported(owner, f.getSimpleName() + ": @Spec on a field that is no CommandSpec");
                Map<String, AnnotationValue> attrs = attributes(a);
                String target = attrs.containsKey("value") ? attrs.get("value").getValue().toString() : "SELF";
                if (target.equals("SELF"))
                    b.append("        ").append(field).append(" = s;\n");
                else if (target.equals("MIXEE") && mixin)
                    b.append("        ").append(field).append(" = mixee;\n");
                else if (!target.equals("MIXEE"))
                    throw new Unsupported(owner, f.getSimpleName() + ": @Spec(" + target + ")");
            }
            case PARENT -> parents.add(f);
            default -> throw new Unsupported(owner, f.getSimpleName() + ": @" + a.getAnnotationType().asElement().getSimpleName());
        }
    }

    /** Appends an option or positional parameter as picocli's OptionSpec and PositionalParamSpec builders make it. */
    private void arg(TypeElement owner, VariableElement f, AnnotationMirror a, StringBuilder b) throws Unsupported {
        boolean option = name(a).equals(OPTION);
        Map<String, AnnotationValue> attrs = attributes(a);
        for (String k : attrs.keySet())
            if (!ARG_ATTRIBUTES.contains(k) && !(option ? OPTION_ONLY : PARAMETERS_ONLY).contains(k))
                throw new Unsupported(owner, f.getSimpleName() + ": @" + a.getAnnotationType().asElement().getSimpleName() + "(" + k + ")");
        TypeMirror type = f.asType();
        String raw, aux = null;
        boolean multi, bool;
        if (type.getKind().isPrimitive()) {
            raw = type.toString();
            multi = false;
            bool = type.getKind() == TypeKind.BOOLEAN;
        } else if (type.getKind() == TypeKind.DECLARED) {
            DeclaredType d = (DeclaredType) type;
            TypeElement e = (TypeElement) d.asElement();
            raw = e.getQualifiedName().toString();
            List<? extends TypeMirror> args = d.getTypeArguments();
            multi = raw.equals("java.util.List") || raw.equals("java.util.Set") || raw.equals("java.util.Collection");
            if (multi) {
                if (args.size() != 1 || args.getFirst().getKind() != TypeKind.DECLARED
                        || !((DeclaredType) args.getFirst()).getTypeArguments().isEmpty())
                    throw new Unsupported(owner, f.getSimpleName() + ": a collection of other than a class");
                aux = ((TypeElement) ((DeclaredType) args.getFirst()).asElement()).getQualifiedName().toString();
            } else if (!args.isEmpty() || raw.equals("java.util.Optional") || isMap(e)) {
                throw new Unsupported(owner, f.getSimpleName() + ": a generic type");
            }
            bool = raw.equals("java.lang.Boolean") || "java.lang.Boolean".equals(aux);
        } else {
            throw new Unsupported(owner, f.getSimpleName() + ": an array or other type");
        }
        b.append("        s.").append(option ? "addOption(OptionSpec.builder(new String[] {" : "addPositional(PositionalParamSpec.builder()");
        if (option)
            b.append(join(attrs.get("names"))).append("})");
        b.append('\n');
        String arity = attrs.containsKey("arity") ? (String) attrs.get("arity").getValue() : "";
        String arityExpr = !arity.isEmpty() ? "Range.valueOf(" + literal(arity) + ")"
                : "Range.valueOf(\"" + (option ? (bool ? "0" : "1") : (multi ? "0..1" : "1")) + "\").unspecified(true)";
        b.append("                .arity(").append(arityExpr).append(")\n");
        if (option) {
            if (attrs.containsKey("required"))
                b.append("                .required(").append(attrs.get("required").getValue()).append(")\n");
        } else {
            String index = attrs.containsKey("index") ? (String) attrs.get("index").getValue() : "";
            b.append("                .index(Range.valueOf(").append(literal(!index.isEmpty() ? index : multi ? "*" : "0+")).append("))\n");
            b.append("                .required(").append(arityExpr).append(".min() > 0)\n");
        }
        String label = attrs.containsKey("paramLabel") ? ((String) attrs.get("paramLabel").getValue()).trim() : "";
        b.append("                .paramLabel(").append(literal(label.isEmpty() ? "<" + f.getSimpleName() + ">" : label)).append(")\n");
        if (attrs.containsKey("description"))
            b.append("                .description(").append(literal(attrs.get("description").getValue())).append(")\n");
        b.append("                .descriptionKey(").append(literal(attrs.containsKey("descriptionKey")
                ? attrs.get("descriptionKey").getValue() : "")).append(").prompt(\"\")\n");
        if (attrs.containsKey("defaultValue"))
            b.append("                .defaultValue(").append(literal(attrs.get("defaultValue").getValue())).append(")\n");
        if (attrs.containsKey("hidden"))
            b.append("                .hidden(").append(attrs.get("hidden").getValue()).append(")\n");
        if (attrs.containsKey("hideParamSyntax"))
            b.append("                .hideParamSyntax(").append(attrs.get("hideParamSyntax").getValue()).append(")\n");
        if (attrs.containsKey("converter")) {
            StringBuilder conv = new StringBuilder();
            for (Object o : asList(attrs.get("converter").getValue())) {
                TypeElement ce = (TypeElement) ((DeclaredType) ((AnnotationValue) o).getValue()).asElement();
                if (!hasNoArgConstructor(ce))
                    throw new Unsupported(owner, f.getSimpleName() + ": a converter without a constructor without arguments");
                conv.append(conv.isEmpty() ? "" : ", ").append("new ").append(ce.getQualifiedName()).append("()");
            }
            b.append("                .converters(").append(conv).append(")\n");
        }
        b.append("                .type(").append(raw).append(".class)");
        if (aux != null)
            b.append(".auxiliaryTypes(").append(aux).append(".class)");
        b.append('\n');
        String field = "c." + f.getSimpleName();
        b.append("                .withToString(").append(literal("field " + genericString(f))).append(")\n");
        b.append("                .initialValue(").append(field).append(")\n");
        b.append("                .setter(new ISetter() {\n                    @Override\n                    public <T> T set(T value) {\n");
        b.append("                        T old = (T) (Object) ").append(field).append(";\n");
        b.append("                        ").append(field).append(" = (").append(type).append(") (Object) value;\n");
        b.append("                        return old;\n                    }\n                })\n");
        b.append("                .getter(new IGetter() {\n                    @Override\n                    public <T> T get() {\n");
        b.append("                        return (T) (Object) ").append(field).append(";\n                    }\n                })\n");
        b.append("                .build());\n");
    }

    /** What picocli's TypedMember.getToString shows of a field: Field.toGenericString, abbreviated. */
    private String genericString(VariableElement f) {
        StringBuilder s = new StringBuilder();
        for (Modifier m : List.of(Modifier.PUBLIC, Modifier.PROTECTED, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL,
                Modifier.TRANSIENT, Modifier.VOLATILE))
            if (f.getModifiers().contains(m))
                s.append(m).append(' ');
        s.append(typeName(f.asType())).append(' ')
                .append(processingEnv.getElementUtils().getBinaryName((TypeElement) f.getEnclosingElement())).append('.')
                .append(f.getSimpleName());
        return s.toString().replace("private ", "").replace("protected ", "").replace("public ", "").replace("java.lang.", "");
    }

    /** A type as java.lang.reflect.Type.getTypeName spells it: binary names, type arguments in angle brackets. */
    private String typeName(TypeMirror t) {
        if (t.getKind() != TypeKind.DECLARED)
            return t.toString();
        DeclaredType d = (DeclaredType) t;
        StringBuilder s = new StringBuilder(processingEnv.getElementUtils().getBinaryName((TypeElement) d.asElement()));
        if (!d.getTypeArguments().isEmpty()) {
            s.append('<');
            for (int i = 0; i < d.getTypeArguments().size(); i++)
                s.append(i > 0 ? ", " : "").append(typeName(d.getTypeArguments().get(i)));
            s.append('>');
        }
        return s.toString();
    }

    private boolean isMap(TypeElement e) {
        TypeElement map = processingEnv.getElementUtils().getTypeElement("java.util.Map");
        return processingEnv.getTypeUtils().isAssignable(processingEnv.getTypeUtils().erasure(e.asType()),
                processingEnv.getTypeUtils().erasure(map.asType()));
    }

    private static boolean hasNoArgConstructor(TypeElement t) {
        List<ExecutableElement> ctors = ElementFilter.constructorsIn(t.getEnclosedElements());
        for (ExecutableElement c : ctors)
            if (c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))
                return true;
        return false;
    }

    private TypeElement superclass(TypeElement t) {
        TypeMirror s = t.getSuperclass();
        return s.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) s).asElement() : null;
    }

    private String packageOf(TypeElement t) {
        return processingEnv.getElementUtils().getPackageOf(t).getQualifiedName().toString();
    }

    private static String method(TypeElement t) {
        String n = t.getSimpleName().toString();
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    private static String name(AnnotationMirror a) {
        return ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private static AnnotationMirror annotation(Element e, String type) {
        for (AnnotationMirror a : e.getAnnotationMirrors())
            if (name(a).equals(type))
                return a;
        return null;
    }

    /** The attributes written in the annotation, in source order (defaults left out, as picocli leaves them). */
    private static Map<String, AnnotationValue> attributes(AnnotationMirror a) {
        Map<String, AnnotationValue> m = new LinkedHashMap<>();
        if (a != null)
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : a.getElementValues().entrySet())
                m.put(e.getKey().getSimpleName().toString(), e.getValue());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object v) {
        return v instanceof List<?> l ? (List<Object>) l : List.of(v);
    }

    /** A Java literal of a constant, a string or a boolean; an array value as arguments. */
    private String literal(Object v) {
        if (v instanceof List<?> l)
            return join(l);
        return processingEnv.getElementUtils().getConstantExpression(v);
    }

    private String join(Object values) {
        StringBuilder s = new StringBuilder();
        for (Object o : asList(values instanceof AnnotationValue av ? av.getValue() : values))
            s.append(s.isEmpty() ? "" : ", ").append(literal(o instanceof AnnotationValue av ? av.getValue() : o));
        return s.toString();
    }
}
