"""The service's structured (JSON) application log.

What goes in: function, route template, method, status, duration, trace id, error types.
What never goes in: identifiers (BSN, KVK-nummer, pseudonyms), e-mail addresses, phone numbers,
addresses, tokens, request or response bodies, raw paths, exception messages.
"""

import logging
import sys

from aws_lambda_powertools import Logger

LOGGER_NAME = "profielservice"

# stderr: the log stream of every runtime (CloudWatch, Knative, OpenFaaS); stdout stays free for
# what a command prints for its user (the local stack's guide, the CLI's answers).
logger = Logger(service=LOGGER_NAME, logger_handler=logging.StreamHandler(sys.stderr))
# The logger writes its own JSON lines; a runtime that configures the root logger (gunicorn under
# functions-framework does) would otherwise print every line twice.
logging.getLogger(LOGGER_NAME).propagate = False
