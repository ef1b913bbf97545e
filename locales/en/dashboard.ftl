# The dashboard's words, in English. Message ids use hyphens (API error ids use underscores).

brand = partnerdesk
skip-to-content = Skip to content
nav-home = Home
nav-customers = Customers
nav-profile = Profile
nav-main = Main
sign-out = Sign out
signed-in-as = Signed in as { $name }
language = Language
language-switch = Switch
footer-api = API reference

# sign-in
signin-title = Sign in
signin-intro = Sign in with the e-mail and password of your partnerdesk account.
signin-email = E-mail
signin-password = Password
signin-submit = Sign in
signin-failed = The e-mail or password is wrong. Check both and try again.
signin-throttled = Too many failed sign-ins for this e-mail. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
signin-demo-hint = Trying the demo? Every demo user's password is printed by the server when it starts.
signed-out = You are signed out.
signin-forgot = Forgot your password?
forgot-title = Forgotten password
forgot-intro = Type the e-mail of your account. If it has one, we mail it a link to set a new password; the link works once, for an hour.
forgot-submit = Send the link
forgot-sent = If that address has an account, a mail with a link to set a new password is on its way. The link works once, for an hour.
forgot-no-mail = This installation does not send e-mail. Ask an admin of your organisation to set a new password for you.
forgot-back = Back to sign-in
forgot-throttled = Too many requests for this e-mail. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
reset-title = Set a new password
reset-intro = Type a new password twice. Setting it signs you out everywhere and ends your API tokens.
reset-submit = Set the password
reset-done = Your new password is set. Sign in with it.
reset-too-short = The new password is too short: use at least 8 characters.
reset-refused-unknown = This link does not work. Copy the whole address from the mail, or ask for a new link.
reset-refused-used = This link was already used. It works once: ask for a new one if you need to.
reset-refused-expired = This link has expired: it works for an hour. Ask for a new one.
reset-ask-again = Ask for a new link

# errors shown as pages
error-title = Something went wrong
error-not-found-title = Not found
error-not-found = There is nothing here, or it is not visible to you.
error-csrf = The form expired or came from somewhere else. Reload the page and try again.
error-back = Go back to the start page
error-forbidden-title = Not allowed
error-uri-too-long-title = Address too long
error-uri-too-long = This address is too long to open. Go back and try a shorter search.

# home
home-title = Home
home-welcome = Welcome, { $name }
home-welcome-unnamed = Welcome
home-add-name = Add your name in your profile, so that people see who you are.
home-customers = Customers
home-active-subscriptions = Active subscriptions
home-suspended-subscriptions = Suspended subscriptions
home-pending-requests = Pending relationship requests
home-dap-expiring = Delegated admin relationships expiring within 30 days
home-go-customers = Open the customer list

# customers
customers-title = Customers
customers-search = Search by name or domain
customers-search-submit = Search
customers-search-clear = Clear
customers-count = { $count ->
        [one] { $count } customer
       *[other] { $count } customers
    }
customers-count-search = { $count ->
        [one] { $count } customer matches
       *[other] { $count } customers match
    } “{ $query }”
customers-none = You have no customers yet. Request a reseller relationship to start working with one.
customers-none-search = No customer matches “{ $query }”.
customers-export = Export to CSV
customers-search-invalid = A search cannot contain control characters such as tabs or line breaks. Remove them and search again.
customers-status-since = Reseller since { $date }
customers-status-dap = DAP: yes
customers-status-no-dap = DAP: no
customers-status-unknown = —
col-company = Company
col-domain = Domain
col-country = Country
col-culture = Language
paging-next = Next page
paging-label = Pages
paging-first = First page

# one customer
customer-tabs = Customer sections
tab-account = Account
tab-subscriptions = Subscriptions
company-profile = Company profile
billing-profile = Billing profile
field-company-name = Company name
field-domain = Domain
field-country = Country
field-culture = Language and region
field-contact = Contact
field-email = E-mail
field-address = Address
field-none = —
relationship = Reseller relationship
relationship-since = Active since { $date }
delegated-admin = Delegated admin
delegated-admin-active = You hold delegated admin rights over this customer.
delegated-admin-consented = The customer consented to delegated admin; you have not taken it up.
delegated-admin-none = No delegated admin rights.
remove-relationship = Remove reseller relationship
remove-blocked = You cannot remove the relationship while { $count ->
        [one] one subscription is
       *[other] { $count } subscriptions are
    } active. Suspend them first:
remove-allowed = No subscription is active. You can remove the relationship.

# removal confirmation
remove-title = Remove the reseller relationship with { $name }?
remove-effects = Removing the relationship will, at once:
remove-effect-close = close your reseller relationship with { $name } (it stays in the customer's history and in the audit log);
remove-effect-list = remove { $name } from your customer list;
remove-effect-support = remove you from the customer's available support contacts{ $count ->
        [0] {""}
        [one] {" "}and from the subscription that names you as its support contact
       *[other] {" "}and from { $count } subscriptions that name you as their support contact
    };
remove-effect-dap = end your delegated admin rights (DAP) and terminate { $count ->
        [one] your GDAP relationship
       *[other] { $count } GDAP relationships
    };
remove-effect-dap-only = end your delegated admin rights (DAP);
remove-effect-gdap-only = terminate { $count ->
        [one] your GDAP relationship
       *[other] { $count } GDAP relationships
    };
remove-effect-buy = take away your right to buy for this customer or to reactivate its subscriptions.
remove-keeps = Suspended subscriptions stay suspended; nothing is deleted. To work with { $name } again you will need a new relationship request.
remove-reason = Reason (optional, kept in the history)
remove-confirm = Remove the relationship
remove-cancel = Cancel
removed = The reseller relationship with { $name } was removed.

# subscriptions
subscriptions-title = Subscriptions
subscriptions-none = This customer has no subscriptions with you.
col-select = Select
col-subscription = Subscription
col-offer = Offer
col-quantity = Seats
col-status = Status
col-created = Created
col-term = Term
status-active = Active
status-suspended = Suspended
status-deleted = Deleted
status-expired = Expired
subscriptions-suspend-selected = Suspend selected
subscriptions-reactivate-selected = Reactivate selected
subscriptions-bulk-done = { $changed ->
        [one] { $changed } subscription changed
       *[other] { $changed } subscriptions changed
    }, { $refused } refused.
subscriptions-bulk-none = Select at least one subscription first.
subscription-cancel = Cancel this subscription…
subscription-cancel-title = Cancel subscription “{ $name }”?
subscription-cancel-effects = Cancelling deletes the subscription:
subscription-cancel-effect-seats = the customer loses its { $count ->
        [one] { $count } seat
       *[other] { $count } seats
    } of { $offer } at once;
subscription-cancel-effect-final = it cannot be reactivated: to sell the same again, place a new order;
subscription-cancel-effect-kept = it stays in the customer's list of subscriptions, as Deleted.
subscription-cancel-instead = To stop it for a while and keep the way back, suspend it instead.
subscription-cancel-confirm = Cancel the subscription
subscription-cancel-keep = Keep it
subscription-cancelled = Subscription “{ $name }” is cancelled (deleted).
subscription-support = Support contact
subscription-support-none = None assigned
subscription-support-choice = Support contact for this subscription
subscription-support-hint = The customer's partners it works with; the one chosen answers the customer's support requests about this subscription.
subscription-support-save = Save support contact
subscription-support-saved = The support contact is saved.
subscription-support-choose = Choose one of the customer's support contacts.
subscription-status-choice = Status
subscription-submit = Submit
subscription-saved = The subscription is now { $status }.
subscription-unchanged = Nothing changed: the subscription already has that status.
subscription-back = All subscriptions of this customer
subscription-suspend-note = A suspended subscription stops working for the customer's users until it is reactivated. Billing stops with it.
error-partners-only = This page is for partners. Sign in with a partner account to use it.
term-monthly = Monthly
term-yearly = Yearly
term-monthly-inline = monthly
term-yearly-inline = yearly
subscription-choose-status = Choose Active or Suspended, then Submit.

# operator
nav-partners = Partners
nav-offers = Offers
op-only = This page is for the operator of this partnerdesk.
op-partners-title = Partners
op-mail-queued = { $count ->
        [one] { $count } message waits to be sent.
       *[other] { $count } messages wait to be sent.
    }
op-mail-parked = { $count ->
        [one] { $count } message was given up after every retry.
       *[other] { $count } messages were given up after every retry.
    }
op-partners-none = No partners yet. Add the first one.
op-partner-add = Add a partner
op-partner-new-title = Add a partner
op-partner-create = Create the partner and its admin
op-partner-created = { $name } was added. Its admin can sign in now.
op-col-name = Name
op-col-type = Partner type
op-type-direct = Direct partner
op-type-indirect-provider = Indirect provider
op-type-indirect-reseller = Indirect reseller
op-provider = Indirect provider (for an indirect reseller)
op-provider-hint = An indirect reseller sells through one indirect provider; leave empty for other types.
op-provider-needed = Choose the indirect provider this reseller sells through.
op-first-admin = First admin
op-admin-name = Name (optional)
op-password-hint = At least 8 characters. Give it to the admin safely; they can change it later.
op-offers-title = Offers
op-offers-none = The catalog is empty. Add the first offer.
op-offer-add = Add an offer
op-offer-new-title = Add an offer
op-offer-edit-title = Edit { $name }
op-offer-save = Save the offer
op-offer-saved = { $name } was saved.
op-col-price = Price per unit and term
op-col-seats = Seats
op-col-countries = Countries
op-col-available = On sale
op-on-sale = On sale
op-off-sale = Off sale
op-description = Description
op-unit-type = Unit
op-currency = Currency (ISO code)
op-min = Fewest seats per subscription
op-max = Most seats per subscription
op-price-hint = For example 12.50.
op-countries-hint = Two-letter country codes, separated by commas: US, GB, DE.

# customer tabs: orders, offboarding, history
tab-orders = Orders
tab-offboarding = Offboarding
tab-history = History

# orders
orders-title = Orders
orders-new = Place an order
orders-offer = Offer
orders-offer-option = { $name } · { $min }–{ $max } { $unit } · { $price } per unit · { $term }
orders-offer-hint = Only offers sold in { $country }, the customer's country, are listed.
orders-quantity = Seats
orders-quantity-range = At least { $min }, at most { $max } seats.
orders-quantity-range-each = Each offer allows the number of seats shown next to its name.
orders-friendly-name = Subscription name (optional)
orders-friendly-name-hint = Leave it empty to name the subscription after the offer.
orders-submit = Place order
orders-no-offers = No offer of the catalog is sold in { $country } at the moment, so nothing can be ordered for this customer. Ask the partnerdesk operator to add one.
orders-choose-offer = Choose an offer from the list.
orders-quantity-not-a-number = Enter the number of seats as a whole number, for example 5.
orders-fix = Nothing was bought. Correct the form below and place the order again.
orders-placed = Ordered { $quantity } × { $offer } as “{ $name }”. The new subscription is on the Subscriptions tab.
orders-none = You have not placed any order for this customer yet.
orders-col-placed = Placed

# offboarding
offboard-title = Offboarding
offboard-intro = Offboarding ends your work with { $name } in one step. Check what it will do, then confirm at the bottom of the page.
offboard-suspend-heading = Subscriptions that will be suspended ({ $count })
offboard-suspend-none = No subscription is active: nothing will be suspended.
offboard-seats = { $count ->
        [one] { $count } seat
       *[other] { $count } seats
    }
offboard-support-heading = Support assignments that will be removed ({ $count })
offboard-support-none = No subscription names you as its support contact.
offboard-rights-heading = Delegated admin rights that will end ({ $count })
offboard-rights-none = You hold no delegated admin rights (DAP or GDAP) over this customer.
offboard-dap-item = Delegated admin (DAP), granted on { $date }, will end
offboard-gdap-item = GDAP relationship “{ $name }” ({ $status ->
        [created] created
        [approvalPending] awaiting approval
        [approved] approved
        [activating] activating
        [active] active
        [expiring] expiring
        [terminationRequested] termination requested
        [terminating] terminating
       *[other] { $status }
    }, { $roles ->
        [one] { $roles } role
       *[other] { $roles } roles
    }) will be terminated
offboard-confirm-heading = Confirm offboarding
offboard-then = Besides suspending, offboarding will at the same time:
offboard-keeps = Nothing is deleted: the suspended subscriptions stay suspended. To work with { $name } again you will need a new relationship request.
offboard-type-name = Company name, to confirm
offboard-type-name-hint = Type “{ $name }” exactly as it is written here.
offboard-submit = Offboard { $name }
offboard-name-mismatch = The name you typed is not “{ $name }”, so nothing was changed. Type the company name exactly as shown, then confirm again.
offboard-done = { $name } was offboarded: { $count ->
        [one] { $count } subscription
       *[other] { $count } subscriptions
    } suspended and the reseller relationship removed.
offboard-instead = Or offboard the customer: suspend them all and remove the relationship in one confirmed step.

# relationship history
former-title = Former customers
former-intro = Customers you no longer work with: every reseller relationship with them is closed. Their history stays here, read-only.
former-none = You have no former customers.
former-history-intro = Your reseller relationships with this former customer, newest first. You no longer work with it, so this is all that is shown.
customers-former-link = Former customers
history-title = Relationship history
history-intro = Your reseller relationships with this customer, newest first. Closed relationships stay here for the record.
history-col-started = Started
history-col-ended = Ended
history-col-ended-by = Ended by
history-col-reason = Reason
history-col-dap = Delegated admin
history-state-active = Active
history-state-closed = Closed
history-closed-by-you = { $name } (your organisation)
history-closed-by-customer = The customer
history-closed-by-provider = Your indirect provider, on your behalf
history-closed-by-unknown = A user who has since been removed
history-dap-yes = Consented
history-dap-no = Not asked

# request a reseller relationship
customers-request = Request a reseller relationship
request-title = Request a reseller relationship
request-new-heading = New invitation link
request-intro = You get a link to send to the customer's global administrator, who opens it, sees who is asking and for what, and accepts or declines. The link expires after { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
request-rights-legend = What you ask for
request-rights-always = Always a reseller relationship: you may buy subscriptions for the customer, manage the ones you sold, and be one of its support contacts.
request-include-dap = Also ask for delegated admin rights (DAP)
request-include-dap-hint = Administrator access to the customer's services. The customer can take it away at any time.
request-submit = Create invitation link
request-send-to = Also mail it to (optional)
request-send-to-hint = The e-mail of the customer's admin. We send the link on your behalf; you can copy it either way.
request-mailed = The request is on its way to { $email }.
request-rights-reseller = reseller relationship
request-rights-dap = reseller relationship and delegated admin (DAP)
request-link-heading = Your invitation link
request-created = The invitation is ready. It asks for: { $rights }.
request-link-label = Invitation link
request-link-hint = Send it to the customer's global administrator. It expires on { $date }. It is shown only now: copy it before you leave this page.
request-email-label = E-mail to send
request-email-hint = Copy this text into an e-mail to the customer's global administrator.
request-another = Get the link of the other kind
request-pending-heading = Pending requests
request-pending-none = You have no pending requests.
request-pending-hint = A request becomes a relationship when the customer accepts it. A link is shown only when it is made.
request-col-created = Created
request-col-rights = Asks for
request-col-expires = Expires
request-email-subject-label = Subject
request-email-subject = { $partner } invites you to a reseller relationship
request-email-greeting = Hello,
request-email-reseller = { $partner } would like to become your reseller. With a reseller relationship, { $partner } can buy subscriptions for your organisation, manage the subscriptions it sold you, and be one of your support contacts.
request-email-dap = { $partner } also asks for delegated admin rights (DAP): administrator access to your organisation's services, to help you run them. You can take these rights away at any time.
request-email-how = To accept or decline, a global administrator of your organisation opens this link and signs in:
request-email-expires = The link expires on { $date }. If you did not expect this invitation, you can ignore this message.
request-email-sign-off = Kind regards,
    { $partner }

# invitation (the page a relationship request link opens)
invitation-title = { $partner } invites you to a reseller relationship
invitation-unknown-title = Invitation not found
invitation-unknown = This invitation link is not valid. Check that you opened the whole link from the message, or ask the partner to send you a new one.
invitation-intro = { $partner } asks to become a partner of your organisation. Read what it asks for, then accept or decline.
invitation-expired = This invitation has expired, so it can no longer be answered. Ask { $partner } to send you a new one.
invitation-revoked = { $partner } withdrew this invitation, so it can no longer be answered. Ask { $partner } to send you a new one if you still want to work together.
invitation-was-accepted = This invitation has been accepted: { $partner } is a partner of the organisation that accepted it. It cannot be answered again.
invitation-was-declined = This invitation was declined and cannot be answered again. To work together, { $partner } needs to send a new one.
invitation-rights-heading = What { $partner } asks for
invitation-right-reseller = Reseller
invitation-right-reseller-what = { $partner } may buy products for your organisation, manage the subscriptions it sells you, and appear among your support contacts.
invitation-right-dap = Delegated admin (DAP)
invitation-right-dap-what = { $partner } also asks for administrator access to your organisation, to help you run it. You can remove these admin roles at any time, without ending the relationship.
invitation-right-dap-none = Not asked for: { $partner } gets no administrator access to your organisation.
invitation-expires = Valid until
invitation-answer-heading = Your answer
invitation-signin-needed = Only a global admin of the invited organisation can answer. Sign in first; you will come back to this page.
invitation-signin = Sign in to answer
invitation-already-partner = Your organisation already works with { $partner }, so there is nothing to accept.
invitation-see-partners = See your partner relationships
invitation-accept-effect = Accepting opens the relationship with { $partner } at once. You can end it later from Partner relationships, once { $partner } has no active subscription with you.
invitation-decline-effect = Declining is final: nothing opens, and { $partner } would need to send a new invitation.
invitation-accept = Accept
invitation-decline = Decline
invitation-customer-user = Only a global admin of your organisation can answer this invitation. Send them this link.
invitation-not-customer = Only the invited customer's global admin can answer this invitation. You are signed in with a partner or operator account, which cannot answer it.
invitation-accepted = You accepted the invitation: { $partner } is now your partner.
invitation-declined = You declined the invitation from { $partner }. Nothing changed.

# customer: partner relationships
mypartners-nav = Partners
mypartners-customers-only = This page is for customers. Sign in with your organisation's account to see its partners.
mypartners-title = Partner relationships
mypartners-intro = The partners your organisation works with, and what each of them may do for you.
mypartners-active-heading = Active relationships
mypartners-none = You have no active partner. A partner starts working with you by sending an invitation link: open it and accept.
mypartners-admin-only = Only a global admin of your organisation can remove a partner's admin roles or end a relationship.
mypartners-since = Partner since
mypartners-rights = Rights
mypartners-right-reseller = Reseller
mypartners-right-dap = Delegated admin (DAP)
mypartners-right-gdap = Granular delegated admin (GDAP): { $count ->
        [one] { $count } relationship
       *[other] { $count } relationships
    }
mypartners-right-no-admin = No admin roles
mypartners-remove-roles = Remove admin roles
mypartners-end = End reseller relationship
mypartners-end-blocked = You cannot end the relationship while { $partner } has { $count ->
        [one] one active subscription
       *[other] { $count } active subscriptions
    } with you. Ask { $partner } to suspend them first:
mypartners-history-heading = History
mypartners-history-intro = Relationships that ended stay here and in the audit log.
mypartners-history-none = No relationship has ended yet.
mypartners-col-partner = Partner
mypartners-col-from = From
mypartners-col-ended = Ended
mypartners-end-title = End the reseller relationship with { $partner }?
mypartners-end-effects = Ending the relationship will, at once:
mypartners-end-effect-close = close your reseller relationship with { $partner } (it stays in your relationship history and in the audit log);
mypartners-end-effect-list = remove your organisation from { $partner }'s customer list;
mypartners-end-effect-support = remove { $partner } from your available support contacts, and from { $count ->
        [one] the subscription that names
       *[other] { $count } subscriptions that name
    } it as their support contact;
mypartners-end-effect-dap = end { $partner }'s delegated admin rights (DAP) and terminate { $count ->
        [one] its GDAP relationship
       *[other] { $count } GDAP relationships
    };
mypartners-end-effect-gdap = terminate { $count ->
        [one] the GDAP relationship
       *[other] { $count } GDAP relationships
    } of { $partner } (it holds no DAP);
mypartners-end-effect-buy = take away { $partner }'s right to buy for you or to reactivate your subscriptions.
mypartners-end-keeps = Suspended subscriptions stay suspended; nothing is deleted. To work with { $partner } again, it will need to send you a new invitation.
mypartners-end-reason = Reason (optional, kept in the history)
mypartners-end-confirm = End the relationship
mypartners-cancel = Cancel
mypartners-ended = The reseller relationship with { $partner } has ended.
mypartners-end-refused = The relationship was not ended: { $partner } has { $count ->
        [one] one active subscription
       *[other] { $count } active subscriptions
    } with you. Ask { $partner } to suspend them first.
mypartners-roles-title = Remove the admin roles of { $partner }?
mypartners-roles-none = { $partner } holds no admin roles in your organisation: there is nothing to remove.
mypartners-back = Back to partner relationships
mypartners-roles-effects = Removing the admin roles will, at once:
mypartners-roles-effect-dap = end { $partner }'s delegated admin rights (DAP): it can no longer administer your organisation;
mypartners-roles-effect-gdap = terminate { $count ->
        [one] the GDAP relationship
       *[other] { $count } GDAP relationships
    } of { $partner } with your organisation.
mypartners-roles-keeps = The reseller relationship stays: { $partner } can still sell to you and manage the subscriptions it sold. The change is written to the audit log.
mypartners-roles-confirm = Remove admin roles
mypartners-roles-removed = The admin roles of { $partner } were removed ({ $count ->
        [one] { $count } right ended
       *[other] { $count } rights ended
    }).

# profile
profile-title = Profile
profile-name = Name
profile-email = E-mail
profile-name-heading = Your name
profile-name-save = Save name
profile-name-saved = Your name was saved.
profile-password-heading = Password
profile-password-effects = Changing your password signs you out everywhere else: your other dashboard sessions end and the refresh tokens of your API clients stop working. You stay signed in here.
profile-password-current = Current password
profile-password-new = New password
profile-password-new-hint = At least 8 characters.
profile-password-again = New password again
profile-password-revoke-tokens = Also revoke my personal API tokens
profile-password-revoke-tokens-hint = Scripts that use them stop at once. Keep this ticked if someone else may have used your account.
profile-password-submit = Change password
profile-password-mismatch = The two new passwords differ. Type the same new password twice.
profile-password-current-wrong = The current password is wrong. Your password was not changed.
profile-password-throttled = Too many wrong passwords. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }; your password was not changed.
profile-password-changed = Your password was changed.
profile-password-sessions-ended = { $count ->
        [one] { $count } other dashboard session signed out
       *[other] { $count } other dashboard sessions signed out
    }.
profile-password-refresh-revoked = { $count ->
        [one] { $count } refresh token revoked
       *[other] { $count } refresh tokens revoked
    }.
profile-password-api-revoked = { $count ->
        [one] { $count } personal API token revoked
       *[other] { $count } personal API tokens revoked
    }.
profile-password-api-kept = Your personal API tokens still work.
profile-language-heading = Language
profile-language-legend = Language of the dashboard
profile-language-hint = The same setting as the language switch at the top of every page.
profile-language-save = Save
profile-language-choose = Choose a language, then Save.
profile-language-saved = Your language was saved.
profile-tokens-heading = Personal API tokens
profile-tokens-intro = A personal API token lets a script call the partnerdesk API as you, with your roles (send it as “Authorization: Bearer …”). Keep it as secret as a password.
profile-token-new-heading = New token
profile-token-name = Name
profile-token-name-hint = What the token is for (for example “billing export”), so you can tell your tokens apart.
profile-token-days = Expires after (days, optional)
profile-token-days-hint = From 1 to { $max } days. Leave it empty for a token that works until you revoke it.
profile-token-create = Create token
profile-tokens-list-heading = Your tokens
profile-tokens-none = You have no personal API tokens.
profile-col-created = Created
profile-col-last-used = Last used
profile-col-expires = Expires
profile-col-status = Status
profile-col-actions = Actions
profile-token-never = Never
profile-token-active = Active
profile-token-expired = Expired
profile-token-revoked = Revoked
profile-token-revoke = Revoke
profile-token-revoke-label = Revoke { $name }
profile-token-name-needed = Give the token a name, so that you can tell it apart later.
profile-token-days-invalid = Enter a whole number of days from 1 to { $max }, or leave it empty for a token that never expires.
profile-token-created-title = Your new token
profile-token-created = The token “{ $name }” was created.
profile-token-copy-now = Copy this token now and keep it somewhere safe. It will not be shown again: partnerdesk keeps only a fingerprint of it.
profile-token-secret = Token
profile-token-expires-on = Expires: { $date }
profile-token-usage = A script sends it in the Authorization header: “Bearer ” followed by the token.
profile-token-done = I have copied it: back to my profile
profile-revoke-title = Revoke the token “{ $name }”?
profile-revoke-effects = Revoking the token will, at once:
profile-revoke-effect-stop = stop every script or program that uses it: their requests will be refused;
profile-revoke-effect-final = end it for good: a revoked token cannot be turned back on. Create a new one if you need it again.
profile-revoke-confirm = Revoke the token
profile-cancel = Cancel
profile-token-revoked-notice = The token “{ $name }” was revoked. It no longer works.
request-revoke = Revoke
request-revoke-title = Revoke this relationship request?
request-revoke-effect = The link stops working at once: a customer who opens it is told it was withdrawn. Nothing else changes; you can make a new request at any time.
request-revoke-confirm = Revoke the request
request-revoked = The request was revoked; its link no longer works.

## Refusals: what the dashboard says when something is refused (next to the field it is about)
refusal-invalid-property = { $field }: { $reason }
refusal-not-found = There is nothing here, or it is not visible to you.
refusal-already-in-use = { $field } “{ $value }” is already used by someone else; choose another.
refusal-email-taken = Someone already signs in with this e-mail address; choose another.
refusal-domain-taken = A customer with this domain already exists.
refusal-last-global-admin = This is the organisation's last global admin. Make another user a global admin first.
refusal-conflict = This clashes with something that already exists. Reload the page and check.
refusal-gdap-name-taken = You already have a GDAP relationship with this name; choose another.
refusal-group-name-taken = You already have a security group with this name; choose another.
refusal-already-member = This user already is a member of the group.
refusal-assignment-exists = This security group already has access in this relationship.
refusal-group-in-use = An access assignment still uses this security group. Delete the assignment first.
refusal-role-id-taken = A role with this id already exists.
refusal-reseller-has-provider = This reseller already has an indirect provider.
refusal-reseller-already-linked = This reseller is already linked to you.
refusal-changed-meanwhile = Someone else changed this while you were editing. Reload the page and try again.
refusal-current-password-wrong = The current password is wrong.
refusal-unauthenticated = Your sign-in is no longer valid. Sign in again.
refusal-too-many-sign-ins = Too many failed sign-ins. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
refusal-unavailable = The service is unavailable for a moment; try again shortly.
refusal-internal = Something went wrong on our side. Try again later.
refusal-quantity-out-of-range = Quantity { $quantity } is outside the offer's range: at least { $minimum }, at most { $maximum }.
refusal-active-subscriptions = The customer still has { $count ->
        [one] one active subscription
       *[other] { $count } active subscriptions
    }. Suspend them first, or use offboarding.
refusal-no-active-relationship = You no longer resell to this customer. Send a new reseller request to work with it again.
refusal-relationship-already-active = A reseller relationship with this partner is already active.
refusal-request-expired = This request has expired or was revoked.
refusal-request-accepted = This request was already accepted.
refusal-request-declined = This request was already declined.
refusal-forbidden-role-to = Your role may not { $action }. Ask a global admin of your organisation.
action-manage-partners = manage partners
action-manage-offers = manage the offer catalog
action-view-customers = view customers
action-create-customer = create customers
action-request-relationship = request reseller relationships
action-place-order = place orders
action-view-subscriptions = view subscriptions
action-manage-subscriptions = suspend or reactivate subscriptions
action-manage-delegated-admin = manage delegated admin rights
action-remove-relationship = remove reseller relationships
action-manage-reseller-links = manage indirect reseller links
action-answer-request = answer relationship requests
action-view-own-partners = view the organisation's partners
action-remove-partner-admin-roles = remove a partner's admin roles
action-end-relationship = end a reseller relationship
action-manage-users = manage users
action-answer-gdap = approve or reject GDAP relationships
action-manage-roles = manage the role catalogue
action-check-access = check delegated access
action-view-audit-records = read audit records
action-manage-webhooks = manage webhooks
refusal-partner-type = Your partner type does not allow this.
refusal-invalid-transition = This cannot be done in its current state. Reload the page to see where it stands.
refusal-subscription-deleted = A deleted subscription cannot be changed.
refusal-dap-not-consented = The customer has not allowed you delegated admin rights.
refusal-gdap-duration = Give a duration from 1 to 730 days.
refusal-gdap-auto-extend = Choose no extension or 180 days.
refusal-gdap-roles-required = Choose at least one role.
refusal-gdap-auto-extend-global-admin = A relationship with the Global Administrator role cannot extend itself.
refusal-gdap-approval-expired = The customer did not approve this request within 90 days. Create a new one.
refusal-mail-off = E-mail is off on this server, so nothing can be mailed. Copy the link and send it yourself.
refusal-gdap-customer-mismatch = This request was made for another customer.
refusal-gdap-not-editable = This cannot be changed in the relationship's current state.
field-search = Search
field-value = The value
field-name = Name
field-password = Password
field-current-password = Current password
field-language = Language
field-quantity = Quantity
field-minimum-quantity = Minimum quantity
field-maximum-quantity = Maximum quantity
field-price = Price
field-term = Term
field-roles = Roles
field-partner-type = Partner type
field-reseller = Reseller
field-provider = Indirect provider
field-offer = Offer
field-valid-days = Valid for (days)
field-support-contact = Support contact
field-billing-contact = Billing contact
field-billing-address = Billing address
field-description = Description
field-unit-type = Unit
field-currency = Currency
field-subscription-name = Subscription name
field-reason = Reason
field-display-name = Name
field-status = Status
field-revoke-tokens = Revoke API tokens
field-webhook-url = Webhook URL
field-webhook-events = Events
field-role-id = Role id
field-items = Chosen relationships
field-duration = Duration
field-auto-extend = Auto-extend
reason-empty = enter a value
reason-too-long = use at most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }
reason-too-short = use at least { $min ->
        [one] { $min } character
       *[other] { $min } characters
    }
reason-control-characters = remove line breaks and other invisible characters
reason-email = enter an address such as name@example.com
reason-language = pick English or Russian
reason-country = enter a two-letter country code such as US or RU
reason-domain = enter a domain such as contoso.example (letters, digits and hyphens between dots)
reason-not-your-reseller = this is not one of your resellers
reason-reseller-not-related = this reseller does not work with this customer
reason-one-role = pick at least one role
reason-one-country = enter at least one country
reason-indirect-provider = pick one of the indirect providers
reason-only-indirect-reseller = only an indirect reseller has an indirect provider
reason-indirect-reseller = pick one of the indirect resellers
reason-support-contact = pick one of the customer's support contacts
reason-whole-number = enter a whole number
reason-amount = enter an amount such as 12.50
reason-negative = must not be below zero
reason-below-minimum = must not be below the minimum quantity
reason-term = pick monthly or yearly
reason-out-of-range = enter a number from { $min } to { $max }
reason-length-out-of-range = use { $min } to { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }
reason-at-least = enter at least { $min }
reason-too-many-lines = an order has 1 to { $max ->
        [one] { $max } line
       *[other] { $max } lines
    }
reason-offer-not-sold = this offer is not sold any more
reason-offer-not-sold-in = this offer is not sold in { $country }
reason-no-such-offer = this offer is not in the catalog
reason-partner-type = pick direct, indirect provider or indirect reseller
reason-role-not-for-kind = pick roles that users of this organisation can have
reason-expires-by-itself = a subscription expires by itself; choose Active, Suspended or Deleted
reason-reset-revokes-tokens = resetting another user's password always revokes their API tokens
reason-catalogue-role = pick a role from the role catalogue
reason-relationship-role = pick among the roles this admin relationship grants
reason-role-still-assigned = a security group still has this role through an access assignment: change or delete the assignment first
reason-too-many-items = { $max ->
    [one] at most { $max } item at once
   *[other] at most { $max } items at once
}
reason-webhook-url = enter an http:// or https:// address with a host name and no user name or password
reason-webhook-event = pick events from the list
reason-webhook-address = this address is on a private or internal network, which webhooks may not reach
reason-invalid = this value is not valid

## Delegated admin (GDAP): the partner's relationships, security groups, the customer's approval
nav-gdap = GDAP
gdap-title = GDAP relationships
gdap-ending-title = GDAP relationships ending within 30 days
gdap-of-customer = GDAP relationships with this customer
gdap-new-title = New GDAP relationship
gdap-none = No GDAP relationships here.
gdap-status = { $status ->
        [created] Created
        [approvalPending] Awaiting approval
        [approved] Approved
        [activating] Activating
        [active] Active
        [expiring] Expiring
        [expired] Expired
        [terminationRequested] Termination requested
        [terminating] Terminating
        [terminated] Terminated
       *[other] { $status }
    }
gdap-status-all = Every status
gdap-filter = Show
gdap-next = Next page
gdap-col-name = Name
gdap-col-customer = Customer
gdap-col-roles = Roles
gdap-col-ends = Ends
gdap-any-customer = Any customer who approves it
gdap-select = Select
gdap-select-one = Select { $name }
gdap-bulk-extend = Extend the selected
gdap-bulk-hint = Extending turns on automatic extension: the relationship renews itself by 180 days when it ends. Relationships with the Global Administrator role cannot extend themselves.
gdap-bulk-none = Select at least one relationship to extend.
gdap-bulk-results = Result of the extension
gdap-extended = Extended: it now renews itself by 180 days when it ends.
gdap-duration-days = Duration in days
gdap-duration-hint = From 1 to 730 days, counted from the customer's approval.
gdap-days = { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
gdap-auto-extend = Automatic extension
gdap-auto-extend-no = No
gdap-auto-extend-yes = Yes, by 180 days each time it ends
gdap-auto-extend-by = Yes, by { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
gdap-customer-hint = Choose one of your customers, or leave it open: then any customer's global admin who opens the approval link may approve it.
gdap-create = Create
gdap-created = GDAP relationship “{ $name }” created. Send it for approval when it is ready.
gdap-name-required = Enter a name (at most 50 characters).
gdap-roles-required = Choose at least one role.
gdap-customer-unknown = Choose one of your customers.
gdap-created-on = Created
gdap-activated-on = Active since
gdap-ended-on = Ended
gdap-send-heading = Send for approval
gdap-send-intro = After sending, the name, roles and duration can no longer change; the customer's global admin approves or rejects the relationship within 90 days.
gdap-send = Send for approval
gdap-sent = Sent for approval. Give the customer's global admin the link below.
gdap-link-heading = Approval link
gdap-link-label = Link for the customer's global admin
gdap-link-hint = The customer's global admin signs in, opens this link and approves or rejects the relationship. It expires if nobody answers within 90 days.
gdap-access-heading = Access assignments
gdap-access-none = No security group has roles in this relationship yet.
gdap-access-no-groups = Create a security group to give its members these roles.
gdap-assign = Give access
gdap-assigned = The security group now has those roles in the customer's tenant.
gdap-group-required = Choose a security group.
gdap-extend-heading = Extension
gdap-extend = Extend
gdap-terminate = Terminate
gdap-terminate-title = Terminate the GDAP relationship
gdap-terminate-effect = Terminating ends these admin roles in the customer's tenant at once, with every access assignment in it. It cannot be undone: a new relationship needs the customer's approval again.
gdap-terminated = The GDAP relationship is terminated.
gdap-partner-unknown = Partner { $id }
gdap-delete = Delete
gdap-delete-title = Delete the GDAP relationship
gdap-delete-effect = It has not been sent to the customer, so no one has any access through it. Deleting removes it from your list; it cannot be undone.
gdap-deleted = The GDAP relationship is deleted.
sg-title = Security groups
sg-intro = A security group is a set of your users. An access assignment of a GDAP relationship gives its members roles in the customer's tenant.
sg-none = You have no security groups yet.
sg-new-heading = New security group
sg-col-name = Security group
sg-create = Create the group
sg-created = Security group “{ $name }” created. Add its members.
sg-name-required = Enter a name for the group.
sg-members = Members
sg-members-none = The group has no members yet.
sg-add-label = User to add
sg-add = Add to the group
sg-remove = Remove
sg-remove-one = Remove { $name } from the group
sg-user-required = Choose a user.
sg-member-added = The user is now a member of the group.
sg-member-removed = The user is no longer a member of the group.
mygdap-title = Partners' admin relationships (GDAP)
mygdap-detail-title = GDAP relationship “{ $name }”
mygdap-intro = A GDAP relationship gives a partner's staff the admin roles listed, in your organisation, for a limited time. Your global admin approves each one and may terminate it at any time.
mygdap-none = No partner has asked for admin roles.
mygdap-col-partner = Partner
mygdap-actions = Actions
mygdap-answer = Approve or reject
mygdap-ask = { $partner } asks for these admin roles in your organisation.
mygdap-roles-heading = Roles asked for
mygdap-answer-effect = Approving gives the partner's staff these roles at once, for { $count ->
        [one] { $count } day
       *[other] { $count } days
    }. Rejecting ends the request; the partner would have to ask again.
mygdap-approve = Approve
mygdap-reject = Reject
mygdap-approved = Approved: the partner now has these roles.
mygdap-rejected = Rejected: the partner has no new roles.
mygdap-terminate-effect = Terminating ends these admin roles of { $partner } in your organisation at once. It cannot be undone.
mygdap-link = Partners' admin relationships (GDAP)
gdap-assignment-status = { $status ->
        [pending] Pending
        [active] Active
        [deleting] Being deleted
        [deleted] Deleted
       *[other] Failed
    }

# changing GDAP relationships, access assignments and security groups
gdap-edit = Change
gdap-edit-title = Change the GDAP relationship
gdap-edit-closed = Nothing of this relationship can change now: it waits for the customer's answer, or it has ended.
gdap-save = Save
gdap-saved = GDAP relationship “{ $name }” saved.
gdap-access-edit = Change roles
gdap-access-edit-title = Roles of “{ $name }” in this relationship
gdap-access-remove = Remove access
gdap-access-remove-title = Remove the access of “{ $name }”
gdap-access-remove-effect = The group's members lose these roles in the customer's tenant at once.
gdap-access-closed = The relationship is not in force: the roles of its access assignments can no longer change.
gdap-access-saved = The security group's roles in this relationship are changed.
gdap-access-removed = The security group no longer has roles in this relationship.
sg-rename-heading = Name
sg-rename = Rename
sg-renamed = The security group is now called “{ $name }”.
sg-delete = Delete the group
sg-delete-title = Delete the security group “{ $name }”
sg-delete-effect = Deleting removes the group. { $count ->
        [0] It has no members.
        [one] Its { $count } member stays a user of your organisation.
       *[other] Its { $count } members stay users of your organisation.
    }
sg-deleted = The security group is deleted.
sg-delete-in-use = The group has roles in a GDAP relationship: remove that access assignment first.

# the operator's role catalogue
nav-roles = Roles
op-roles-title = Role catalogue
op-roles-intro = The roles a GDAP relationship may ask for and an access assignment may give. Roles are never deleted: relationships that name one keep it.
op-role-id = Role id
op-role-id-hint = Lower-case letters, digits and hyphens, at most 64. Leave it empty to have one made.
op-role-add = Add a role
op-role-save = Save the role
op-role-saved = Role “{ $name }” saved.
op-role-id-taken = A role with this id already exists.
op-role-edit-title = Change a role of the catalogue

# the audit log
nav-audit = Audit log
audit-title = Audit log
audit-record-title = Audit record
audit-back = Back to the audit log
audit-from = From
audit-to = To
audit-company = Company name contains
audit-customer = Customer ID
audit-type = Resource type
audit-type-any = Any
audit-submit = Show
audit-clear = Clear the filters
audit-export = Export to CSV
audit-count = { $count ->
        [one] { $count } record on this page
       *[other] { $count } records on this page
    }
audit-none = No audit records match these filters.
audit-col-date = When
audit-col-operation = Operation
audit-col-resource = Resource
audit-col-customer = Customer
audit-col-user = Who
audit-col-application = Through
audit-correlation = Correlation ID
audit-chain = Place in the chain
audit-old = Before
audit-new = After
audit-app-dashboard = the dashboard
audit-app-api-token = the API with the token
audit-app-oauth = the API with OAuth
audit-app-cli = the command line
audit-app-job = a background job
audit-app-unknown = not recorded
audit-invalid-date = Enter a date such as 2026-12-01.
audit-invalid-range = The start must not be after the end.
audit-invalid-company = Remove line breaks and other invisible characters.
audit-invalid-customer = Enter a customer ID, such as 0190a5b2-0000-7000-8000-000000000001.

# Webhooks
nav-webhooks = Webhooks
webhooks-title = Webhooks
webhooks-intro = A webhook sends an event to your system the moment something changes here, so you need not poll. Each request is signed twice: as Partner Center signs (RSA-SHA256) and with HMAC-SHA256 using the registration's own secret.
webhooks-worker-off = The webhook worker is off on this server. Events are still recorded, and are sent by another server that runs the worker, or once this one runs it again.
webhooks-none = Your organisation has no webhooks yet.
webhook-col-url = Address
webhook-col-events = Events
webhook-col-created = Created
webhook-col-last = Last delivery
webhook-col-org = Organisation
webhook-no-deliveries-yet = None yet
webhook-new-heading = New webhook
webhook-create = Add the webhook
webhook-url = Address (URL)
webhook-url-hint = Where events are sent: an http:// or https:// address your system answers. Addresses on internal networks are refused unless the server's operator allows them.
webhook-events = Events to send
webhook-event-test-created = A test event, sent when you ask for one (it is sent whatever you pick here).
webhook-event-subscription-updated = A subscription of a customer changed: its status (active, suspended, cancelled), quantity or renewal.
webhook-event-reseller-relationship-accepted-by-customer = A customer accepted your relationship request and became your customer.
webhook-event-reseller-relationship-removed = A reseller relationship with a customer ended (by the partner or the customer).
webhook-event-customer-created = A new customer was added.
webhook-event-dap-admin-relationship-approved = A customer granted delegated admin (DAP) rights.
webhook-event-dap-admin-relationship-terminated = Delegated admin (DAP) rights were removed.
webhook-event-granular-admin-relationship-approved = A customer approved a GDAP relationship.
webhook-event-granular-admin-relationship-activated = A GDAP relationship became active.
webhook-event-granular-admin-relationship-terminated = A GDAP relationship was terminated.
webhook-event-granular-admin-relationship-expired = A GDAP relationship reached its end date.
webhook-event-granular-admin-relationship-expiring = A GDAP relationship ends within 30 days.
webhook-event-granular-admin-relationship-extended = A GDAP relationship was extended.
webhook-created-title = Your new webhook
webhook-created = The webhook was added:
webhook-secret-copy-now = Copy this secret now and keep it in your receiving system. It will not be shown again.
webhook-secret = Signing secret
webhook-secret-usage = Your system checks each request's X-Partnerdesk-Signature header: sha256= followed by the hex HMAC-SHA256 of the request body under this secret.
webhook-secret-done = I have copied it: on to the webhook
webhook-title = Webhook
webhook-created-on = Created { $date }.
webhook-test-heading = Test event
webhook-test-intro = Sends a test event to this address now. Its delivery shows below.
webhook-test-send = Send a test event
webhook-test-sent = A test event was queued. Its delivery shows below; refresh the page to see it arrive.
webhook-deliveries-heading = Recent deliveries
webhook-deliveries-none = Nothing has been sent to this webhook yet.
webhook-deliveries-hint = A failed delivery is tried again on its own, up to 10 times with growing pauses; after that it is parked until you redeliver it.
webhook-col-event = Event
webhook-col-state = State
webhook-col-attempts = Attempts
webhook-col-next = Next attempt
webhook-col-error = Last error
webhook-col-http = HTTP status
webhook-col-actions = Actions
webhook-state-delivered = Delivered
webhook-state-parked = Parked
webhook-state-failed = Failed, will retry
webhook-state-pending = Waiting
webhook-redeliver = Redeliver
webhook-redeliver-all = Redeliver every parked delivery
webhook-redeliver-none = Nothing was parked: there was nothing to redeliver.
webhook-redelivered = { $count ->
        [one] { $count } delivery will be sent again.
       *[other] { $count } deliveries will be sent again.
    }
webhook-edit-heading = Change the webhook
webhook-save = Save
webhook-saved = The webhook was saved.
webhook-delete = Delete the webhook
webhook-delete-title = Delete this webhook?
webhook-delete-effect = Deleting stops every event to
webhook-delete-effect-events = No more events of these kinds are sent:
webhook-delete-effect-pending = Deliveries still waiting or parked are dropped and their history is gone.
webhook-delete-effect-secret = Its signing secret stops being used; a new webhook gets a new one.
webhook-deleted = The webhook was deleted. No more events are sent to it.
