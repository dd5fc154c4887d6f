-- PostgreSQL only: wakes LISTENing workers when a job becomes PENDING (enqueued, retried,
-- put back after a failure), in the transaction that does it, so the notification arrives
-- once the job is committed and never for a rolled-back one. A trigger rather than a NOTIFY
-- sent by each enqueue: every path that queues a job (one row, many rows, a retry from the
-- console) is covered without an extra round trip. Identical notifications in one transaction
-- are delivered once, so a batch of 500 jobs wakes each worker once.
CREATE FUNCTION "parley_job_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('parley_jobs', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Job_notify" AFTER INSERT OR UPDATE OF "status", "runAt" ON "Job"
  FOR EACH ROW WHEN (NEW."status" = 'PENDING') EXECUTE FUNCTION "parley_job_notify"();
