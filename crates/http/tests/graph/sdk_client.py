"""A real Microsoft Graph client against partnerdesk's Graph-shaped GDAP routes.

Run by crates/http/tests/graph_sdk.rs with the Python of the virtual environment that
.ci/run fills with the pinned `msgraph-sdk`. It signs in at `/oauth2/token`, hands the
token to the SDK through its own AccessTokenProvider, and points the SDK's request adapter
at the test server's `/v1.0`.

    sdk_client.py create   creates three relationships, lists them one per page following
                           @odata.nextLink, patches one with If-Match (and sees a stale
                           If-Match and a duration the server does not read refused), and
                           locks it for approval
    sdk_client.py finish   reads the relationship the customer approved, sees it active,
                           reads the customer's service management details, terminates
                           it and reads it terminated

Settings come from the environment: PD_BASE_URL, PD_USERNAME, PD_PASSWORD, PD_ROLE_ID,
PD_CUSTOMER_ID, PD_NAME_PREFIX, and for `finish` PD_RELATIONSHIP_ID. The last line printed
is a JSON object for the Rust test.
"""

import asyncio
import datetime
import json
import os
import sys
from typing import Any, Optional

import httpx
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.delegated_admin_access_details import DelegatedAdminAccessDetails
from msgraph.generated.models.delegated_admin_relationship import DelegatedAdminRelationship
from msgraph.generated.models.delegated_admin_relationship_customer_participant import (
    DelegatedAdminRelationshipCustomerParticipant,
)
from msgraph.generated.models.delegated_admin_relationship_request import (
    DelegatedAdminRelationshipRequest,
)
from msgraph.generated.models.delegated_admin_relationship_request_action import (
    DelegatedAdminRelationshipRequestAction,
)
from msgraph.generated.models.delegated_admin_relationship_status import (
    DelegatedAdminRelationshipStatus,
)
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.unified_role import UnifiedRole
from msgraph.generated.tenant_relationships.delegated_admin_relationships.delegated_admin_relationships_request_builder import (
    DelegatedAdminRelationshipsRequestBuilder,
)


class PasswordTokenProvider(AccessTokenProvider):
    """Signs in once at the server's /oauth2/token and hands the access token out."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.username = username
        self.password = password
        self.token: Optional[str] = None

    async def get_authorization_token(self, uri: str, additional_authentication_context: dict[str, Any] = {}) -> str:
        if self.token is None:
            async with httpx.AsyncClient() as http:
                reply = await http.post(
                    f"{self.base_url}/oauth2/token",
                    data={"grant_type": "password", "username": self.username, "password": self.password},
                )
                reply.raise_for_status()
                self.token = reply.json()["access_token"]
        return self.token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return AllowedHostsValidator([])


def client() -> GraphServiceClient:
    base = os.environ["PD_BASE_URL"].rstrip("/")
    tokens = PasswordTokenProvider(base, os.environ["PD_USERNAME"], os.environ["PD_PASSWORD"])
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(tokens))
    adapter.base_url = f"{base}/v1.0"
    return GraphServiceClient(request_adapter=adapter)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}")


async def refused(call, status: int) -> ODataError:
    try:
        await call
    except ODataError as e:
        check(e.response_status_code == status, f"expected {status}, got {e.response_status_code}: {e}")
        check(e.error is not None and bool(e.error.code) and bool(e.error.message), f"Graph's envelope: {e}")
        return e
    raise SystemExit(f"FAILED: expected {status}, the call succeeded")


def relationship(name: str, duration: Any) -> DelegatedAdminRelationship:
    return DelegatedAdminRelationship(
        display_name=name,
        duration=duration,
        customer=DelegatedAdminRelationshipCustomerParticipant(tenant_id=os.environ["PD_CUSTOMER_ID"]),
        access_details=DelegatedAdminAccessDetails(
            unified_roles=[UnifiedRole(role_definition_id=os.environ["PD_ROLE_ID"])]
        ),
    )


def if_match(etag: str) -> RequestConfiguration:
    config = RequestConfiguration()
    config.headers.add("If-Match", etag)
    return config


async def create() -> dict:
    graph = client()
    rels = graph.tenant_relationships.delegated_admin_relationships
    prefix = os.environ["PD_NAME_PREFIX"]

    created = []
    for n in range(3):
        rel = await rels.post(relationship(f"{prefix} {n}", "P730D"))
        check(rel.status == DelegatedAdminRelationshipStatus.Created, f"new status {rel.status}")
        check(rel.duration == datetime.timedelta(days=730), f"duration read back {rel.duration}")
        created.append(rel.id)

    # A timedelta is written by the SDK as "730 days, 0:00:00": not ISO-8601, refused clearly.
    error = await refused(rels.post(relationship(f"{prefix} bad", datetime.timedelta(days=730))), 400)
    check("duration" in error.error.message, f"the refusal names duration: {error.error.message}")

    # One per page, following @odata.nextLink to the end.
    query = DelegatedAdminRelationshipsRequestBuilder.DelegatedAdminRelationshipsRequestBuilderGetQueryParameters(top=1)
    page = await rels.get(RequestConfiguration(query_parameters=query))
    seen, pages = [], 0
    while page is not None:
        pages += 1
        check(len(page.value) <= 1, f"$top=1 gave {len(page.value)}")
        seen += [r.id for r in page.value]
        if not page.odata_next_link:
            break
        check(page.odata_next_link.startswith("http"), f"nextLink is absolute: {page.odata_next_link}")
        page = await rels.with_url(page.odata_next_link).get()
    check(sorted(seen) == sorted(created), f"paging saw {seen}, created {created}")

    first = rels.by_delegated_admin_relationship_id(created[0])
    current = await first.get()
    etag = current.additional_data.get("@odata.etag")
    check(bool(etag), f"@odata.etag on a read: {current.additional_data}")

    await refused(first.patch(DelegatedAdminRelationship(display_name=f"{prefix} renamed")), 428)
    patched = await first.patch(DelegatedAdminRelationship(display_name=f"{prefix} renamed"), if_match(etag))
    check(patched.display_name == f"{prefix} renamed", f"patched name {patched.display_name}")
    await refused(first.patch(DelegatedAdminRelationship(display_name=f"{prefix} again"), if_match(etag)), 412)

    request = await first.requests.post(
        DelegatedAdminRelationshipRequest(action=DelegatedAdminRelationshipRequestAction.LockForApproval)
    )
    check(request.action == DelegatedAdminRelationshipRequestAction.LockForApproval, f"request {request.action}")
    locked = await first.get()
    check(locked.status == DelegatedAdminRelationshipStatus.ApprovalPending, f"after lock {locked.status}")
    return {"id": created[0], "pages": pages}


async def finish() -> dict:
    graph = client()
    rel = graph.tenant_relationships.delegated_admin_relationships.by_delegated_admin_relationship_id(
        os.environ["PD_RELATIONSHIP_ID"]
    )
    active = await rel.get()
    check(active.status == DelegatedAdminRelationshipStatus.Active, f"after approval {active.status}")
    check(active.activated_date_time is not None and active.end_date_time is not None, "activation dates")
    # The customer is now a delegated admin customer, with the pages where it is managed.
    customer = graph.tenant_relationships.delegated_admin_customers.by_delegated_admin_customer_id(
        os.environ["PD_CUSTOMER_ID"]
    )
    services = await customer.service_management_details.get()
    managed = {s.id: s.service_management_url for s in services.value}
    check(bool(managed) and all(s.service_name for s in services.value), f"services {services.value}")
    await rel.requests.post(DelegatedAdminRelationshipRequest(action=DelegatedAdminRelationshipRequestAction.Terminate))
    ended = await rel.get()
    check(ended.status == DelegatedAdminRelationshipStatus.Terminated, f"after terminate {ended.status}")
    return {"id": active.id, "status": "terminated", "services": managed}


def main() -> None:
    phase = sys.argv[1] if len(sys.argv) > 1 else ""
    steps = {"create": create, "finish": finish}
    if phase not in steps:
        raise SystemExit(f"usage: {sys.argv[0]} create|finish")
    print(json.dumps(asyncio.run(steps[phase]())))


if __name__ == "__main__":
    main()
