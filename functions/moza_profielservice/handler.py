"""Entry points of moza-profielservice: AWS Lambda, Knative (functions-framework), OpenFaaS."""

from functions.moza_profielservice.app import api
from shared.http.entrypoints import knative_entry, lambda_entry, openfaas_entry

lambda_handler = lambda_entry(api)
http_handler = knative_entry(api)
handle = openfaas_entry(api)
