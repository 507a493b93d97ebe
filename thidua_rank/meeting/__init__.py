"""A review meeting: its configuration, data model, tie-breaks, award allocation and the
pipeline that computes the outcome (:func:`thidua_rank.meeting.pipeline.run_meeting`)."""
