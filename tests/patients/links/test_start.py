"""The emailed token URL, on every portal: it only opens the identity check and never stays anywhere."""

import logging

from pghistory.models import Context


def test_link_drops_the_token_before_showing_anything(client, portal):
    response = portal.open(client)

    assert response.status_code == 302
    assert response["Location"] == portal.check_url
    assert portal.token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_right_details_go_on_to_pages_without_the_token(client, portal):
    portal.open(client)

    response = portal.pass_code(client, portal.check(client))
    followed = client.get(response["Location"], follow=True)

    assert response.status_code == 302
    assert response["Location"] == portal.home_url
    assert followed.status_code == 200
    assert [url for url, _ in followed.redirect_chain if portal.token in url] == []
    assert "no-store" in followed["Cache-Control"]


def test_the_token_is_never_logged_or_stored_with_a_request(client, portal, caplog):
    caplog.set_level(logging.DEBUG)

    portal.open(client)
    portal.check(client, last_name="Wrong")
    portal.sign_in(client)
    client.get(portal.page_url)
    portal.open(client, portal.token[:-4] + "AAAA")  # a token that is one typo away

    assert caplog.records != []  # the requests were logged at all (SQL, at least)
    assert [r.getMessage() for r in caplog.records if portal.token[:-4] in r.getMessage()] == []
    assert [c.pk for c in Context.objects.all() if portal.token[:-4] in str(c.metadata)] == []
