from setuptools import find_packages, setup

VERSION = "0.1.0"

MAIN_REQUIREMENTS = [
    "airbyte-cdk>=7.39,<8",
    "requests>=2.32,<3",
    "orjson>=3.10,<4",  # parses TikTok's pages (tiktok/envelope.py); the CDK serializes with it too
    "pendulum>=3,<4",
    "jsonschema>=4,<5",
    "PyYAML>=6,<7",
]

TEST_REQUIREMENTS = [
    "pytest>=8,<10",
    "requests-mock>=1.12,<2",
    "hypothesis>=6,<7",
    "ruff>=0.6",
    "mypy>=1.10",
    "setuptools>=70.1",  # unit_tests/test_packaging.py builds the wheel offline (bdist_wheel is built in since 70.1)
]

# PyAirbyte, for the DuckDB example only (heavy; never a connector dependency).
EXAMPLE_REQUIREMENTS = ["airbyte>=0.71.3,<0.72"]

setup(
    name="source-tiktok-shop",
    version=VERSION,
    description="Airbyte source connector for the TikTok Shop Partner API (202309+).",
    python_requires=">=3.11,<3.14",
    packages=find_packages(include=["source_tiktok_shop*"]),
    package_data={"source_tiktok_shop": ["spec.yaml", "schemas/*.json"]},
    install_requires=MAIN_REQUIREMENTS,
    extras_require={"tests": TEST_REQUIREMENTS, "example": EXAMPLE_REQUIREMENTS},
    entry_points={"console_scripts": ["source-tiktok-shop=source_tiktok_shop.run:run"]},
)
