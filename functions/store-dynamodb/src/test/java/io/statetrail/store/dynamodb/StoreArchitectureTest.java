package io.statetrail.store.dynamodb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DynamoDB store's layers (docs/architecture.md, "Modules, packages and ports"): items and the table access at the
 * bottom, then the run summaries and subject catalogue, then one adapter per port, then the queries, and the assembly
 * on top. Nothing imports back up: no adapter knows the assembly, no adapter knows another (but findings, which queue
 * a page when a finding is created), and the shared parts know no adapter.
 */
class StoreArchitectureTest {

    static final String[] ADAPTERS = {DynamoCalls.class.getName(), DynamoSessions.class.getName(), DynamoLocks.class.getName(),
            DynamoPendingSessions.class.getName(), DynamoBulkDeletes.class.getName(), DynamoFindings.class.getName(),
            DynamoDeliveries.class.getName(), DynamoStoreCatalogue.class.getName(), DynamoStoreWatches.class.getName()};
    static final String[] SHARED = {TableAccess.class.getName(), Items.class.getName(), Keys.class.getName(), AuditTable.class.getName(),
            CallItems.class.getName(), FindingItems.class.getName(), Paging.class.getName(), SubjectIndex.class.getName(),
            SubjectCatalogue.class.getName(), RunSummaries.class.getName()};

    static JavaClasses store;

    @BeforeAll
    static void importStore() {
        store = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.statetrail.store.dynamodb");
    }

    @Test
    void nothingDependsOnTheAssembly() {
        noClasses().that().doNotHaveFullyQualifiedName(DynamoAuditStore.class.getName())
                .should().dependOnClassesThat().haveFullyQualifiedName(DynamoAuditStore.class.getName())
                .check(store);
    }

    @Test
    void theSharedPartsKnowNoAdapterNorTheQueries() {
        for (String shared : SHARED) {
            noClasses().that().haveNameMatching(java.util.regex.Pattern.quote(shared) + "(\\$.*)?")
                    .should().dependOnClassesThat().haveNameMatching(
                            "(" + String.join("|", java.util.Arrays.stream(ADAPTERS).map(java.util.regex.Pattern::quote).toList()) + "|"
                                    + java.util.regex.Pattern.quote(DynamoQueries.class.getName()) + "|"
                                    + java.util.regex.Pattern.quote(RunListing.class.getName()) + ")(\\$.*)?")
                    .check(store);
        }
    }

    @Test
    void adaptersDoNotKnowEachOtherButFindingsQueueTheirPages() {
        for (String adapter : ADAPTERS) {
            for (String other : ADAPTERS) {
                boolean allowed = adapter.equals(other)
                        || (adapter.equals(DynamoFindings.class.getName()) && other.equals(DynamoDeliveries.class.getName()));
                if (!allowed) {
                    noClasses().that().haveNameMatching(java.util.regex.Pattern.quote(adapter) + "(\\$.*)?")
                            .should().dependOnClassesThat().haveNameMatching(java.util.regex.Pattern.quote(other) + "(\\$.*)?")
                            .check(store);
                }
            }
        }
    }
}
