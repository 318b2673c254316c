"""Not-found errors: AWS answers BadRequestException with a "couldn't be found" message (moto and
real AWS agree); ``api.not_found_error`` switches to the model's NotFoundException."""

from __future__ import annotations

from services.core.errors import AwsError, BadRequestException, NotFoundException
from services.core.settings import Settings
from services.shapes.generated import OPERATIONS


def not_found(operation: str, settings: Settings, message: str) -> AwsError:
    """NotFoundException only where the operator asked for it and the model lists it for the
    operation: clients written against the model do not expect it elsewhere."""
    if (settings.api.not_found_error == "NotFoundException"
            and "NotFoundException" in OPERATIONS[operation]["errors"]):
        return NotFoundException(message)
    return BadRequestException(message)


JOB_NOT_FOUND = "The requested job couldn't be found. Check the job name and try your request again."
VOCABULARY_NOT_FOUND = ("The requested vocabulary couldn't be found. Check the vocabulary name and try "
                        "your request again.")
FILTER_NOT_FOUND = ("The requested vocabulary filter couldn't be found. Check the vocabulary filter name "
                    "and try your request again.")
MODEL_NOT_FOUND = ("The requested language model couldn't be found. Check the language model name and "
                   "try your request again.")
