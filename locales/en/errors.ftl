# Descriptions of API errors (the `description` of the /v1 error body), in English.
# Each message id is the error's `errorName`.

invalid_property = Invalid property { $property }: { $reason }
quantity_out_of_range = Quantity { $quantity } is outside the offer's range: at least { $minimum }, at most { $maximum }.
subscription_deleted = A deleted subscription cannot be updated.
unauthenticated = Access denied: { $reason }
too_many_failed_sign_ins = Too many failed sign-ins for this account. Try again in { $seconds } seconds.
forbidden_role = Your role may not { $action }.
no_active_relationship = The partner has no active reseller relationship with this customer. Request a relationship again to work with it.
partner_type_not_allowed = Your partner type may not do this: { $reason }
not_found = Not found: no { $what } with that id is visible to you.
subscription_not_found = Subscription with id { $id } not found.
active_subscriptions_exist = The reseller relationship cannot be removed while { $count } subscription(s) are active: { $ids }. Suspend them first, or use offboarding.
relationship_already_active = A reseller relationship with this partner is already active.
request_expired = The relationship request has expired or was revoked.
request_already_answered = The relationship request was already { $state }.
invalid_transition = Cannot { $action } a { $entity } that is { $state }.
delegated_admin_not_consented = The customer has not consented to delegated admin for this partner.
invalid_gdap_duration = Invalid duration “{ $value }”: give an ISO-8601 duration from P1D to P730D, for example P730D, P52W or P1Y.
invalid_gdap_auto_extend = Invalid autoExtendDuration “{ $value }”: give PT0S (no extension) or P180D.
gdap_roles_required = A GDAP relationship needs at least one role.
gdap_auto_extend_not_allowed = A GDAP relationship with the Global Administrator role cannot extend itself; set autoExtendDuration to PT0S.
gdap_approval_expired = The customer did not approve this GDAP relationship within 90 days; create a new one.
gdap_customer_mismatch = This GDAP relationship was requested for another customer.
gdap_property_not_editable = { $property } cannot be changed while the GDAP relationship is { $state }.
etag_mismatch = The resource was changed by someone else (the If-Match ETag is no longer valid); reload it and try again.
conflict = Conflict: { $detail }
already_in_use = { $property } { $value } is already in use; choose another.
payload_too_large = The request body is larger than { $limit } bytes.
uri_too_long = The request URI is longer than { $limit } bytes.
route_not_found = This API has no such address. GET /docs lists every operation.
unavailable = The service is unavailable for a moment; try again shortly.
internal = Something went wrong on our side. The error was logged; try again later.
