package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The models the build writes (CommandModels, from picocli-models) are the ones picocli makes from
 * the annotations: every attribute of the command, its usage message, each option and positional
 * parameter, in order, and the usage text. A new annotation attribute the generator does not
 * mirror shows here as a missing model or a difference.
 */
class CommandModelsTest {
    /** Building a model reads nothing from the environment. */
    private static final CliEnvironment ENV = CliEnvironment.system();

    /** The root and every subcommand, as new objects. */
    static Stream<Object> commands() throws ReflectiveOperationException {
        List<Object> all = new ArrayList<>(List.of(new Nvmescan(ENV)));
        for (CommandLine sub : Nvmescan.commandLine(ENV).getSubcommands().values())
            all.add(newInstance(sub.getCommandSpec().userObject().getClass()));
        return all.stream();
    }

    private static Object newInstance(Class<?> c) throws ReflectiveOperationException {
        if (c == Nvmescan.class)
            return new Nvmescan(ENV);
        var ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        return ctor.newInstance();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void theGeneratedModelIsPicocliOwn(Object command) throws ReflectiveOperationException {
        CommandSpec generated = CommandModels.model(command);
        assertNotNull(generated, command.getClass().getSimpleName() + " has no generated model");
        CommandSpec reflected = CommandSpec.forAnnotatedObject(newInstance(command.getClass()));
        assertEquals(describe(reflected), describe(generated));
        assertEquals(reflected.name(), CommandModels.name(command.getClass()));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aCreatedCommandHasItsParentCommandFieldsSet(Object command) throws IllegalAccessException {
        if (command instanceof Nvmescan)
            return;
        Nvmescan root = new Nvmescan(ENV);
        CommandSpec created = CommandModels.create(command.getClass(), root);
        assertNotNull(created, command.getClass().getSimpleName());
        assertEquals(command.getClass(), created.userObject().getClass());
        for (var f : command.getClass().getDeclaredFields())
            if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                f.setAccessible(true);
                assertEquals(root, f.get(created.userObject()), f.getName());
            }
    }

    /** Everything of a model that parsing and help depend on, one line each. */
    private static String describe(CommandSpec s) {
        StringBuilder b = new StringBuilder();
        line(b, "name", s.name());
        line(b, "aliases", Arrays.toString(s.aliases()));
        line(b, "version", Arrays.toString(s.version()));
        line(b, "mixins", s.mixins().keySet());
        for (var m : s.mixins().entrySet()) {
            String name = m.getValue().toString();       // the help mixin's names its user object
            line(b, "mixin " + m.getKey(), (name.contains("(user object: ") ? m.getValue().name() : name) + ", "
                    + m.getValue().options().size() + " options");
        }
        line(b, "mixinStandardHelpOptions", s.mixinStandardHelpOptions());
        line(b, "exit codes", List.of(s.exitCodeOnSuccess(), s.exitCodeOnUsageHelp(), s.exitCodeOnVersionHelp(),
                s.exitCodeOnInvalidInput(), s.exitCodeOnExecutionException()));
        line(b, "scope", s.scopeType());
        line(b, "separator", s.parser().separator());
        UsageMessageSpec u = s.usageMessage();
        line(b, "header", Arrays.toString(u.header()));
        line(b, "description", Arrays.toString(u.description()));
        line(b, "footer", Arrays.toString(u.footer()));
        line(b, "headings", List.of(u.headerHeading(), u.synopsisHeading(), u.descriptionHeading(), u.parameterListHeading(),
                u.optionListHeading(), u.commandListHeading(), u.footerHeading(), u.exitCodeListHeading()));
        line(b, "exitCodeList", u.exitCodeList());
        line(b, "layout", List.of(u.sortOptions(), u.sortSynopsis(), u.abbreviateSynopsis(), u.showDefaultValues(), u.hidden(),
                u.width(), u.autoWidth(), u.requiredOptionMarker(), Arrays.toString(u.customSynopsis()),
                u.synopsisSubcommandLabel(), u.showAtFileInUsageHelp(), u.showEndOfOptionsDelimiterInUsageHelp()));
        for (OptionSpec o : s.options()) {
            describe(b, "option " + Arrays.toString(o.names()), o);
            line(b, "  option", List.of(o.usageHelp(), o.versionHelp(), o.help(), o.negatable(), o.order(), o.fallbackValue()));
        }
        for (PositionalParamSpec p : s.positionalParameters()) {
            describe(b, "positional " + p.paramLabel(), p);
            line(b, "  index", p.index() + " " + p.index().isUnspecified());
        }
        line(b, "usage", new CommandLine(s).getUsageMessage(CommandLine.Help.Ansi.OFF));
        return b.toString();
    }

    private static void describe(StringBuilder b, String what, ArgSpec a) {
        line(b, what, List.of(a.arity() + " " + a.arity().isUnspecified(), a.required(), a.paramLabel(),
                Arrays.toString(a.description()), String.valueOf(a.descriptionKey()), String.valueOf(a.defaultValue()),
                a.hidden(), a.hideParamSyntax(), a.interactive(), a.echo(), String.valueOf(a.prompt()), a.splitRegex(),
                a.splitRegexSynopsisLabel(), a.showDefaultValue(), a.scopeType(), a.inherited(), String.valueOf(a.mapFallbackValue())));
        ITypeInfo t = a.typeInfo();
        line(b, "  type", List.of(a.type().getName(), Arrays.toString(a.auxiliaryTypes()), t.isMultiValue(), t.isArray(),
                t.isCollection(), t.isMap(), t.isEnum(), t.isBoolean(), t.isOptional(), String.valueOf(a.completionCandidates())));
        List<String> converters = new ArrayList<>();
        for (CommandLine.ITypeConverter<?> c : a.converters())
            converters.add(c.getClass().getName());
        line(b, "  converters", converters);
        line(b, "  initial", a.hasInitialValue() + " " + a.initialValue());
        line(b, "  toString", a.toString());
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(key).append(": ").append(value).append('\n');
    }
}
