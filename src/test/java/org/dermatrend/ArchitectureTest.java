package org.dermatrend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers' arrows point one way (STYLE.md, "Layers you can test"): imaging below storage and HTTP,
 * measuring beside (not on top of) the phantom renderer, runtime never on training, and the root package
 * (the two entry points that wire everything) imported by nobody. Only the main classes are checked:
 * tests may reach across layers to build fixtures.
 */
@AnalyzeClasses(packages = "org.dermatrend", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "org.dermatrend";

    /**
     * The packages that turn pixels into numbers, and the plain types they share. {@code metric} belongs
     * here too (the metric registry). {@code relief.training} is not imaging but training (it renders
     * phantoms), see {@link #trainingOnlyFromCliAndEval}; {@code analysis}, the one pipeline over imaging,
     * has its own rule ({@link #analysisKnowsNoStorageHttpOrCallers}).
     */
    private static final String[] IMAGING = {
        "org.dermatrend.decode..", "org.dermatrend.cv..", "org.dermatrend.calibrate..", "org.dermatrend.mask..",
        "org.dermatrend.quality..", "org.dermatrend.prepare..", "org.dermatrend.measure..", "org.dermatrend.relief..",
        "org.dermatrend.align..", "org.dermatrend.compare..", "org.dermatrend.overlay..", "org.dermatrend.optics..",
        "org.dermatrend.util..", "org.dermatrend.metric..", "org.dermatrend.domain..",
    };

    private static final String TRAINING = "org.dermatrend.relief.training..";

    @ArchTest
    static final ArchRule rootHoldsOnlyTheEntryPoints = classes()
            .that().resideInAPackage(ROOT)
            .should().haveNameMatching("org\\.dermatrend\\.(Main|ServiceApp)(\\$.*)?")
            .because("the root package is where the command line (Main) and the service (ServiceApp) wire the graph; "
                    + "anything else there has a layer it belongs to");

    @ArchTest
    static final ArchRule nobodyImportsTheRoot = noClasses()
            .that().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat().resideInAPackage(ROOT)
            .because("Main and ServiceApp build the object graph from every layer, so a layer that reaches back up "
                    + "to them makes a cycle through the whole program; pass what it needs in instead");

    @ArchTest
    static final ArchRule imagingKnowsNoStorageHttpOrCallers = noClasses()
            .that().resideInAnyPackage(IMAGING)
            .and().resideOutsideOfPackage(TRAINING)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.dermatrend.store..", "org.dermatrend.service..", "org.dermatrend.http..",
                    "org.dermatrend.cli..", "org.dermatrend.eval..", "org.dermatrend.synth..",
                    "org.dermatrend.report..", "org.dermatrend.trend..",
                    "io.javalin..", "org.jdbi..", "java.sql..")
            .because("imaging turns pixels into numbers and is called by the CLI, the service, the trend and the "
                    + "evaluation alike; it must run and be tested without a database, a server or the phantom "
                    + "renderer, and the layers above it may change without touching it");

    @ArchTest
    static final ArchRule analysisKnowsNoStorageHttpOrCallers = noClasses()
            .that().resideInAPackage("org.dermatrend.analysis..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.dermatrend.store..", "org.dermatrend.service..", "org.dermatrend.http..",
                    "org.dermatrend.cli..", "org.dermatrend.eval..", "org.dermatrend.synth..",
                    "org.dermatrend.report..", "io.javalin..", "org.jdbi..", "java.sql..")
            .because("the pipeline is written once for every caller (the CLI, the endpoints, the workers, the report): "
                    + "it takes photos and settings and returns outcomes, and only its callers know where photos are "
                    + "stored or how an outcome is shown; it may use the trend's statistics, which know nothing of it");

    @ArchTest
    static final ArchRule measuringDoesNotUseTheRenderer = noClasses()
            .that().resideInAPackage("org.dermatrend.measure..")
            .should().dependOnClassesThat().resideInAPackage("org.dermatrend.synth..")
            .because("the phantoms are the truth the metrics are tested against; a metric that reads the renderer's "
                    + "constants passes its own test by construction (shared physics lives in optics)");

    @ArchTest
    static final ArchRule trainingOnlyFromCliAndEval = noClasses()
            .that().resideOutsideOfPackages(TRAINING, "org.dermatrend.cli..", "org.dermatrend.eval..")
            .should().dependOnClassesThat().resideInAPackage(TRAINING)
            .because("training is an offline job (dermatrend train, the evaluations); the running service and the "
                    + "measurements only load the shipped model and must not carry the trainer or its phantoms");

    @ArchTest
    static final ArchRule servicesKnowNoHttp = noClasses()
            .that().resideInAPackage("org.dermatrend.service..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.dermatrend.http..")
            .because("HTTP is a thin skin: controllers parse, call one service method and map the result, so the "
                    + "services can be called and tested without a server");

    @ArchTest
    static final ArchRule fhirExportKnowsNoStorageHttpOrServices = noClasses()
            .that().resideInAPackage("org.dermatrend.fhir..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.dermatrend.store..", "org.dermatrend.service..", "org.dermatrend.http..", "org.dermatrend.cli..",
                    "io.javalin..", "org.jdbi..", "java.sql..")
            .because("the FHIR export maps records and trends to resources, as the report renders them: the services read "
                    + "the records and call it, so it can be tested without a database or a server");

    @ArchTest
    static final ArchRule hapiFhirOnlyInTheExport = noClasses()
            .that().resideOutsideOfPackages("org.dermatrend.fhir..", ROOT)
            .should().dependOnClassesThat().resideInAnyPackage("ca.uhn.fhir..", "org.hl7.fhir..")
            .because("FHIR is one output format: its library stays in the export package (and the wiring that makes its "
                    + "context), so the services and the API hand over records and bytes, not HAPI resources");

    @ArchTest
    static final ArchRule awsSdkOnlyInTheStore = noClasses()
            .that().resideOutsideOfPackage("org.dermatrend.store..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
            .because("S3 is one place to keep photos: the SDK stays behind PhotoStore (S3PhotoStore), so the services, the "
                    + "commands and the wiring hand over bytes and locations, and the folder store stays a drop-in alternative");

    @ArchTest
    static final ArchRule storageKnowsNoCallers = noClasses()
            .that().resideInAPackage("org.dermatrend.store..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.dermatrend.service..", "org.dermatrend.http..", "org.dermatrend.cli..")
            .because("repositories store and return domain records; who calls them and why belongs to the services");

    @ArchTest
    static final ArchRule topLevelPackagesHaveNoCycles = slices()
            .matching("org.dermatrend.(*)..")
            .should().beFreeOfCycles()
            .because("a cycle between packages means neither can be understood, tested or changed alone, and the "
                    + "tree stops reading like the pipeline");
}
