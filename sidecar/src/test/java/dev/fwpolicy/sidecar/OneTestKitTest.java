package dev.fwpolicy.sidecar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The sidecar's tests use the engine's test kit (dev.fwpolicy.engine.testing, the engine test-jar)
 * for network namespaces and the kernel-test guard, instead of growing their own copies again.
 */
@AnalyzeClasses(packages = "dev.fwpolicy.sidecar", importOptions = ImportOption.OnlyIncludeTests.class)
class OneTestKitTest {
    @ArchTest
    static final ArchRule noSecondNamespaceHelper = noClasses()
            .should().haveSimpleNameEndingWith("Netns")
            .orShould().haveSimpleNameContaining("KernelGuard")
            .because("dev.fwpolicy.engine.testing.Netns and KernelSupport are the one test kit");
}
