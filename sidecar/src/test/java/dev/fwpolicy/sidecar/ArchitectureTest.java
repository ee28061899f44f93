package dev.fwpolicy.sidecar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The sidecar's packages by role (docs/sidecar.md, "Where the code is") depend one way: no cycle,
 * the commands on top, the sources at the bottom, and only the HTTP and wiring layers know Vert.x web.
 */
@AnalyzeClasses(packages = "dev.fwpolicy.sidecar", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.fwpolicy.sidecar.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheEntryPointUsesTheCommands = noClasses()
            .that().resideOutsideOfPackages("dev.fwpolicy.sidecar", "dev.fwpolicy.sidecar.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.fwpolicy.sidecar.cli..")
            .because("the CLI is the top layer: nothing below it may call a command");

    @ArchTest
    static final ArchRule picocliOnlyInTheCli = noClasses()
            .that().resideOutsideOfPackages("dev.fwpolicy.sidecar", "dev.fwpolicy.sidecar.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..");

    @ArchTest
    static final ArchRule sourcesKnowNothingAbove = noClasses().that().resideInAPackage("dev.fwpolicy.sidecar.source..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fwpolicy.sidecar.loop..", "dev.fwpolicy.sidecar.http..",
                    "dev.fwpolicy.sidecar.serve..", "dev.fwpolicy.sidecar.json..", "dev.fwpolicy.sidecar.metrics..");

    @ArchTest
    static final ArchRule loopKnowsNoHttpNorMetrics = noClasses().that().resideInAPackage("dev.fwpolicy.sidecar.loop..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fwpolicy.sidecar.http..", "dev.fwpolicy.sidecar.serve..",
                    "dev.fwpolicy.sidecar.json..", "dev.fwpolicy.sidecar.metrics..", "io.vertx.ext.web..",
                    "io.micrometer..");

    @ArchTest
    static final ArchRule noFirewallLogicInTheSidecar = noClasses().that().resideInAPackage("dev.fwpolicy.sidecar..")
            .should().dependOnClassesThat().resideInAPackage("dev.fwpolicy.grammar..")
            .because("the sidecar goes through the engine's compiler, never the parser underneath it");
}
