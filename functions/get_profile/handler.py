"""Entry points of get-profile: AWS Lambda, Knative (functions-framework), OpenFaaS."""

from functions.get_profile.app import api
from shared.http.entrypoints import knative_entry, lambda_entry, openfaas_entry

lambda_handler = lambda_entry(api)
http_handler = knative_entry(api)
handle = openfaas_entry(api)
