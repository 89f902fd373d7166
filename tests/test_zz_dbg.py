from tests.test_every_url import *  # noqa


def test_dbg(world):
    r = login(world, "outsider").get(url_of("documents:create", world))
    t = body(r)
    i = t.index("Châu Thành")
    print(t[i-1500:i+300])
