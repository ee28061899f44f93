package dev.fwpolicy.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine's shape, checked on its compiled classes: its packages form no cycle (so each can be
 * understood and tested from the ones below it), and it knows nothing of the runnable around it.
 */
@AnalyzeClasses(packages = "dev.fwpolicy.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.fwpolicy.engine.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noClassInTheRootPackage = noClasses().should()
            .resideInAPackage("dev.fwpolicy.engine")
            .because("every class has a package that says what it is part of, and the root would sit in every cycle");

    @ArchTest
    static final ArchRule engineKnowsNoRuntime = noClasses().that().resideInAPackage("dev.fwpolicy.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fwpolicy.sidecar..", "io.vertx..", "io.fabric8..",
                    "io.micrometer..", "picocli..")
            .because("dependencies point one way: sidecar -> engine -> grammar");

    @ArchTest
    static final ArchRule theIrIsVendorNeutral = noClasses().that().resideInAPackage("dev.fwpolicy.engine.ir..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fwpolicy.engine.iptables..", "dev.fwpolicy.engine.ipset..",
                    "dev.fwpolicy.engine.dataplane..", "dev.fwpolicy.engine.reconcile..", "dev.fwpolicy.engine.compile..")
            .because("the IR holds rules as values; rendering them for a backend (and fwp1's hash of iptables' spelling)"
                    + " is the backend layer's, so a second backend adds a layer beside iptables instead of forking the IR");

    @ArchTest
    static final ArchRule theAstBuilderHandlesEveryAlternative = noClasses().should().dependOnClassesThat()
            .haveFullyQualifiedName("dev.fwpolicy.grammar.FwpolicyParserBaseVisitor")
            .because("AstBuilder implements the generated visitor without defaults, so a new grammar alternative"
                    + " fails to compile until it is built; the base visitor's defaults would hide it");
}
