"""Pure SLA arithmetic, testable without records."""


def is_late(now, response_deadline, resolution_deadline, start=None, end=None, planned_start=None, planned_end=None):
    """Whether open work misses its SLA as of ``now``.

    Late on response: the response deadline passed without a start, the work started after it, or it is
    planned to start after it. Late on resolution: the resolution deadline passed without an end, or the
    work is planned to end after it. Missing deadlines are never late.
    """
    if response_deadline:
        if start:
            if start > response_deadline:
                return True
        elif now > response_deadline or (planned_start and planned_start > response_deadline):
            return True
    if resolution_deadline and not end:
        if now > resolution_deadline or (planned_end and planned_end > resolution_deadline):
            return True
    return False
