def apply_delays(timetable, delays):
    raise NotImplementedError
