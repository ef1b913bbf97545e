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
mail_off = E-mail is off on this server (no SMTP server is configured), so nothing can be mailed; send the link yourself.
gdap_customer_mismatch = This GDAP relationship was requested for another customer.
gdap_property_not_editable = { $property } cannot be changed while the GDAP relationship is { $state }.
etag_mismatch = The resource was changed by someone else (the If-Match ETag is no longer valid); reload it and try again.
if_match_required = This change needs the If-Match header with the ETag (@odata.etag) last read; read the resource and send its ETag.
conflict = Conflict: { $detail }
already_in_use = { $property } { $value } is already in use; choose another.
payload_too_large = The request body is larger than { $limit } bytes.
uri_too_long = The request URI is longer than { $limit } bytes.
route_not_found = This API has no such address. GET /docs lists every operation.
unavailable = The service is unavailable for a moment; try again shortly.
internal = Something went wrong on our side. The error was logged; try again later.

# The words put into the descriptions above: by language, never the app's English.

# Why a property was refused, for the reasons the API itself gives (a domain reason is
# worded by the dashboard's `reason-*`).
why-required = is required
why-given-twice = is given more than once
why-true-or-false = must be true or false
why-whole-number = must be a whole number
why-out-of-range = is out of range
why-uuid = must be a UUID
why-foreign-token = is not a token this server issued
why-not-supported-here = is not supported here
why-not-valid = is not a valid value
why-empty = is empty
why-one-item = needs at least one item
why-one-role = needs at least one role
why-other = is not accepted; data.reason says why
why-not-supported-yet = is not supported yet

# Why credentials were refused.
unauthenticated-no-token = no bearer token
unauthenticated-header-not-text = the Authorization header is not text
unauthenticated-not-bearer = use the Bearer scheme
unauthenticated-empty-bearer = the bearer token is empty
unauthenticated-token-malformed = the token is malformed
unauthenticated-token-algorithm = the token is not signed with EdDSA
unauthenticated-token-key-unknown = the token's signing key is unknown
unauthenticated-token-signature = the token's signature does not verify
unauthenticated-token-expired = the token has expired
unauthenticated-token-not-yet-valid = the token is not valid yet
unauthenticated-token-audience = the token was issued for another server
unauthenticated-token-organisation = the token names another organisation
unauthenticated-password-changed-since-token = the password has changed since the token was issued
unauthenticated-unknown-api-token = unknown token
unauthenticated-api-token-ended = the token was revoked or has expired
unauthenticated-refresh-token = the refresh token is invalid, expired or already used
unauthenticated-client = unknown client or wrong client secret
unauthenticated-wrong-email-or-password = wrong e-mail or password
unauthenticated-password-changed-during-sign-in = the password changed during sign-in
unauthenticated-user-gone = the user no longer exists
unauthenticated-unknown-session = unknown session
unauthenticated-session-expired = the session has expired
unauthenticated-current-password = the current password is wrong

# What a uniqueness rule refused (the `detail` of `conflict`).
conflict-email-taken = a user with this e-mail address already exists
conflict-domain-taken = a customer with this domain already exists
conflict-relationship-active = the partner already has an active relationship with this customer
conflict-reseller-has-provider = this reseller already has an indirect provider
conflict-reseller-already-linked = this reseller is already linked to you
conflict-last-global-admin = { $email } is the organisation's last global admin; make another user a global admin first
conflict-gdap-name-taken = a GDAP relationship with this display name already exists
conflict-group-name-taken = a security group with this name already exists
conflict-already-member = the user already is a member of the security group
conflict-assignment-exists = the security group already has an access assignment in this relationship
conflict-group-in-use = the security group is used by an access assignment; delete the assignment first
conflict-role-id-taken = a role with this id already exists
conflict-request-handled = a request with this id was already handled
conflict-request-running = a request with MS-RequestId { $requestId } is still running; retry it later
conflict-request-id-reused = MS-RequestId { $requestId } was already used for { $method } { $path }; use a new id
conflict-secret-taken = a secret with this hash already exists
conflict-duplicate = a row with these values already exists

# What was not found (`not_found`) or refused a move (`invalid_transition`).
resource-customer = customer
resource-partner = partner
resource-organisation = organisation
resource-user = user
resource-member = member
resource-offer = offer
resource-order = order
resource-subscription = subscription
resource-invitation = invitation
resource-relationship = relationship
resource-relationship-request = relationship request
resource-indirect-reseller-link = indirect reseller link
resource-support-contact = support contact
resource-DAP-grant = DAP grant
resource-GDAP-relationship = GDAP relationship
resource-GDAP-request = GDAP request
resource-GDAP-operation = GDAP operation
resource-security-group = security group
resource-webhook-registration = webhook registration
resource-webhook-event = webhook event
resource-access-assignment = access assignment
resource-role = role
resource-API-token = API token
resource-refresh-token = refresh token
resource-server-key = server key
resource-idempotency-key = idempotency key
resource-page = page
resource-other = object

# The states a refusal names (`invalid_transition`, `request_already_answered`,
# `gdap_property_not_editable`).
state-pending = pending
state-accepted = accepted
state-declined = declined
state-revoked = revoked
state-expired = expired
state-active = active
state-closed = closed
state-suspended = suspended
state-deleted = deleted
state-created = created
state-approvalPending = approvalPending
state-approved = approved
state-activating = activating
state-expiring = expiring
state-terminationRequested = terminationRequested
state-terminating = terminating
state-terminated = terminated
state-other = in another state

# Why a partner type may not do something (`partner_type_not_allowed`).
partner-type-remove = an indirect reseller's relationship is removed by its indirect provider: ask your provider to remove it
partner-type-order = an indirect reseller orders through its indirect provider: ask your provider to place the order
partner-type-subscriptions = an indirect reseller's subscriptions are managed by its indirect provider: ask your provider to change them
partner-type-add-customer = an indirect reseller's new customers are created by its indirect provider
partner-type-link-resellers = only an indirect provider links indirect resellers
partner-type-customer-for-reseller = only an indirect provider creates customers for an indirect reseller
