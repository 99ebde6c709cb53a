# syntax=docker/dockerfile:1
# The image Airbyte's builder makes from metadata.yaml (docker-images/Dockerfile.python-connector),
# written out so that `docker build -t airbyte/source-tiktok-shop:0.1.0 .` works without airbyte-ci (docs/airbyte.md).
# Keep BASE_IMAGE equal to connectorBuildOptions.baseImage and the version label equal to
# dockerImageTag (unit_tests/test_metadata.py checks both).
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

FROM ${BASE_IMAGE} AS builder
WORKDIR /airbyte/integration_code
COPY setup.py ./
COPY source_tiktok_shop ./source_tiktok_shop
RUN pip install --no-cache-dir .

FROM ${BASE_IMAGE}
WORKDIR /airbyte/integration_code
COPY --from=builder /usr/local /usr/local

# The platform runs the image as the non-root `airbyte` user that the base image provides.
USER airbyte

ENV AIRBYTE_ENTRYPOINT="source-tiktok-shop"
ENTRYPOINT ["source-tiktok-shop"]

LABEL io.airbyte.version=0.1.0
LABEL io.airbyte.name=airbyte/source-tiktok-shop
