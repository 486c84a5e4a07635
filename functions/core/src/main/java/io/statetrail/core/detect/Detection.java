package io.statetrail.core.detect;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingType;
import java.util.List;

/** One thing a security team must hear about. Each implementation reads like its row in docs/detections.md. */
public interface Detection {

    FindingType type();

    List<Finding> detect(Evaluation evaluation);
}
