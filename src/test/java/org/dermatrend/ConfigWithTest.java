package org.dermatrend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dermatrend.align.ConfigAlignment;
import org.dermatrend.measure.ConfigPores;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code Config…} record has a {@code withX} per component that changes that one component and
 * no other (they are long positional argument lists: two swapped arguments of one type compile), and
 * still runs the record's validity check. The changed values differ per component, so two swapped
 * arguments show even where their defaults are equal (several are 0.3 or 0.35).
 */
class ConfigWithTest {

    /** Values that pass validation where "a little different" would not (the URL must name a database we run on). */
    private static final Map<String, Object> VALID_CHANGE = Map.of("dbUrl", "jdbc:postgresql://127.0.0.1:5432/dermatrend",
            "publicUrl", "https://dermatrend.example.org", "corsOrigins", "https://app.example.org", "webhookRetrySchedule", "1s,2s",
            "photoStore", "s3://dermatrend-photos/clinic-a");

    /** Class files named Config…, top-level or nested (ServiceApp$Config): only these are read. */
    private static final Pattern CONFIG_CLASS_FILE = Pattern.compile(".*[/$]Config[^/$]*\\.class");

    /** The settings records of the main code, found by name so a new one is checked too. */
    private static List<Class<?>> configRecords() {
        return new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .withImportOption(location -> location.matches(CONFIG_CLASS_FILE))
                .importPackages("org.dermatrend").stream()
                .filter(c -> c.getSimpleName().startsWith("Config"))
                .map(JavaClass::reflect)
                .filter(Class::isRecord)
                .sorted((a, b) -> a.getName().compareTo(b.getName()))
                .collect(Collectors.toList());
    }

    @Test
    void theKnownConfigRecordsAreFound() {
        Set<String> found = configRecords().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        for (String name : List.of("org.dermatrend.ServiceApp$Config", "org.dermatrend.align.ConfigAlignment",
                "org.dermatrend.decode.ConfigIntake", "org.dermatrend.mask.ConfigSkinMask", "org.dermatrend.measure.ConfigPores",
                "org.dermatrend.measure.ConfigRedness", "org.dermatrend.measure.ConfigScars", "org.dermatrend.quality.ConfigQuality")) {
            assertTrue(found.contains(name), name + " among " + found);
        }
    }

    /**
     * From a config whose components all differ from one another (made with the canonical constructor,
     * not the withs), each with sets its component back to the default and leaves every other one alone.
     */
    @TestFactory
    List<DynamicTest> eachWithChangesItsComponentOnly() {
        return configRecords().stream().map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> {
            Object defaults = defaults(type);
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] values = new Object[components.length];
            for (int k = 0; k < components.length; k++) {
                types[k] = components[k].getType();
                values[k] = changed(defaults, components[k], k);
            }
            for (int i = 0; i < values.length; i++) {
                for (int j = i + 1; j < values.length; j++) {
                    if (types[i] == types[j]) {
                        assertNotEquals(values[i], values[j], "the test needs distinct " + components[i].getName()
                                + " and " + components[j].getName() + " to see them swapped");
                    }
                }
            }
            Object base = type.getDeclaredConstructor(types).newInstance(values);
            for (RecordComponent changed : components) {
                String name = changed.getName();
                Object after = changed.getAccessor().invoke(defaults);
                assertNotEquals(changed.getAccessor().invoke(base), after, name);
                Method with = with(type, changed);
                Object copy = with.invoke(base, after);
                for (RecordComponent c : components) {
                    Object expected = c == changed ? after : c.getAccessor().invoke(base);
                    assertEquals(expected, c.getAccessor().invoke(copy),
                            with.getName() + " must change " + name + " only, but " + c.getName() + " differs");
                }
            }
        })).collect(Collectors.toList());
    }

    @TestFactory
    List<DynamicTest> withsChainedFromTheDefaultsChangeEveryComponent() {
        return configRecords().stream().map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> {
            Object defaults = defaults(type);
            RecordComponent[] components = type.getRecordComponents();
            Object config = defaults;
            for (int k = 0; k < components.length; k++) {
                config = with(type, components[k]).invoke(config, changed(defaults, components[k], k));
            }
            for (int k = 0; k < components.length; k++) {
                assertEquals(changed(defaults, components[k], k), components[k].getAccessor().invoke(config),
                        components[k].getName() + " after every with in turn");
            }
        })).collect(Collectors.toList());
    }

    @Test
    void aWithStillRunsTheValidityCheck() {
        assertThrows(IllegalArgumentException.class, () -> ConfigPores.defaults().withMinDiameterMm(0));
        assertThrows(IllegalArgumentException.class, () -> ConfigAlignment.defaults().withRatio(1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceApp.Config.defaults(Path.of("data")).withWorkers(0));
        assertTrue(e.getMessage().contains("--workers"), e.getMessage());
    }

    private static Object defaults(Class<?> type) throws ReflectiveOperationException {
        for (Method m : type.getMethods()) {
            if (m.getName().equals("defaults") && Modifier.isStatic(m.getModifiers())) {
                return m.getParameterCount() == 0 ? m.invoke(null) : m.invoke(null, Path.of("data"));
            }
        }
        throw new AssertionError(type + " has no static defaults()");
    }

    private static Method with(Class<?> type, RecordComponent c) throws NoSuchMethodException {
        String name = c.getName();
        Method with = type.getMethod("with" + Character.toUpperCase(name.charAt(0)) + name.substring(1), c.getType());
        assertEquals(type, with.getReturnType(), with.toString());
        return with;
    }

    /**
     * A value of component {@code k} a little different from its default, and different from the other
     * components' changed values, that the checks still accept (doubles grow by 0.1 % per index).
     */
    private static Object changed(Object defaults, RecordComponent c, int k) throws ReflectiveOperationException {
        if (VALID_CHANGE.containsKey(c.getName())) {
            return VALID_CHANGE.get(c.getName());
        }
        Object v = c.getAccessor().invoke(defaults);
        Class<?> type = c.getType();
        if (type == int.class) {
            int i = (Integer) v;
            return i > 1 ? i - 1 : i + 1; // down: the default workers (the cores) may be the most allowed
        } else if (type == long.class) {
            return (Long) v + 1024;
        } else if (type == double.class) {
            double d = (Double) v;
            return d == 0 ? 0.001 * (k + 1) : d * (1 + 0.001 * (k + 1));
        } else if (type == String.class) {
            return v + "-" + c.getName();
        } else if (type == Path.class) {
            return Path.of("elsewhere");
        } else if (type == Duration.class) {
            return ((Duration) v).plusMinutes(1);
        } else if (type == boolean.class) {
            return !(Boolean) v;
        }
        throw new AssertionError("no changed value for " + type);
    }
}
