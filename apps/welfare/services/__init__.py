"""Every write of the welfare app; one transaction and one audit record per state change."""

from .care_classes import (
    care_class_attendance_record,
    care_class_create,
    care_class_enrol,
    care_class_enrolment_cancel,
    care_class_recognise,
    care_class_session_delete,
    care_class_session_save,
    care_class_set_status,
    care_class_update,
)
from .contracts import (
    collective_contract_attach_file,
    collective_contract_create,
    provision_errors,
    statutory_floor_update,
    statutory_floors,
)
from .rooms import (
    mother_room_approve,
    mother_room_inspect,
    mother_room_propose,
    mother_room_refuse,
    mother_room_set_level,
    mother_room_update,
)

__all__ = [
    "care_class_attendance_record",
    "care_class_create",
    "care_class_enrol",
    "care_class_enrolment_cancel",
    "care_class_recognise",
    "care_class_session_delete",
    "care_class_session_save",
    "care_class_set_status",
    "care_class_update",
    "collective_contract_attach_file",
    "collective_contract_create",
    "mother_room_approve",
    "mother_room_inspect",
    "mother_room_propose",
    "mother_room_refuse",
    "mother_room_set_level",
    "mother_room_update",
    "provision_errors",
    "statutory_floor_update",
    "statutory_floors",
]
