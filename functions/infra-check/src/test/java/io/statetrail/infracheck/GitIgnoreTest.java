package io.statetrail.infracheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a user following docs/deploy.md leaves in infra/examples (Terraform's working folder, state and variables)
 * is never offered for a commit, while the examples' templates are. Asked of git itself.
 */
class GitIgnoreTest {

    @Test
    void terraformWorkingFilesStateAndVariablesAreIgnored() throws Exception {
        assumeTrue(Files.exists(Repo.root().resolve(".git")), "not a git checkout: .gitignore not checked");
        for (String dir : List.of("infra/examples/single-account/", "infra/examples/organization/", "infra/modules/statetrail/")) {
            for (String file : List.of(".terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5",
                    "terraform.tfstate", "terraform.tfstate.backup", "terraform.tfvars", "prod.tfvars", "prod.auto.tfvars.json", "tfplan.tfplan")) {
                assertEquals(0, checkIgnore(dir + file), dir + file + " must be ignored");
            }
        }
        assertEquals(1, checkIgnore("infra/examples/single-account/terraform.tfvars.example"), "the template stays in the repository");
        assertEquals(1, checkIgnore("infra/examples/single-account/main.tf"));
    }

    /** 0 when git ignores the path, 1 when not. */
    private static int checkIgnore(String path) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("git", "check-ignore", "--no-index", "-q", path).directory(Repo.root().toFile()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no git on PATH: .gitignore not checked");
            throw e;
        }
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
