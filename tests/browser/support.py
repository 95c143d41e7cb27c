"""Steps the browser tests share."""


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in through the login page (staff without a second factor)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
