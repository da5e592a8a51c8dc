"""The agent: collect this machine, post the scan to a rootout server, on a schedule.

* :mod:`rootout.agent.payload` — the versioned JSON payload (build, parse, turn into a read);
* :mod:`rootout.agent.client` — the HTTP client: gzip, bearer token, proxies, retries;
* :mod:`rootout.agent.schedule` — ``--every 6h``: run, sleep, stop cleanly on SIGTERM.
"""
