package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.util.List;

/** One thing posture looks for in the roles that exist. Each implementation reads like its row in docs/detections.md. */
public interface PostureCheck {

    FindingType type();

    List<Finding> check(Posture posture);
}
