"""GET /healthz: 200 when the database answers, 503 when it does not."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down_as_503(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    # The database refuses every statement, as it would with the server down.
    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
