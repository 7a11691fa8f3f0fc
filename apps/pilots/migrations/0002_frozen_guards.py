"""Database guards: a frozen rubric and a submitted score sheet cannot change by any route.

Services, the admin and the API refuse first with a clear message; these triggers make the rule
hold for anything else that reaches the database (a shell, a bulk update, a raw query).
"""

from django.db import migrations

GUARDS = r"""
CREATE FUNCTION pilots_round_is_frozen(round_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM pilots_evaluationround
        WHERE id = round_id AND rubric_frozen_at IS NOT NULL
    )
$$;

CREATE FUNCTION pilots_refuse_frozen_dimension() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND pilots_round_is_frozen(OLD.round_id) THEN
        RAISE EXCEPTION 'the rubric of evaluation round % is frozen', OLD.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND pilots_round_is_frozen(NEW.round_id) THEN
        RAISE EXCEPTION 'the rubric of evaluation round % is frozen', NEW.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION pilots_refuse_frozen_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND pilots_round_is_frozen(OLD.round_id) THEN
        RAISE EXCEPTION 'the rubric of evaluation round % is frozen', OLD.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND pilots_round_is_frozen(NEW.round_id) THEN
        RAISE EXCEPTION 'the rubric of evaluation round % is frozen', NEW.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION pilots_refuse_unfreezing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.rubric_frozen_at IS NOT NULL
       AND NEW.rubric_frozen_at IS DISTINCT FROM OLD.rubric_frozen_at THEN
        RAISE EXCEPTION 'the rubric of evaluation round % is frozen', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION pilots_refuse_submitted_score() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM pilots_reviewerassignment
        WHERE id = OLD.assignment_id AND submitted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'score sheet % is submitted and locked', OLD.assignment_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM pilots_reviewerassignment
        WHERE id = NEW.assignment_id AND submitted_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'score sheet % is submitted and locked', NEW.assignment_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION pilots_refuse_reopening_sheet() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.submitted_at IS NOT NULL THEN
        RAISE EXCEPTION 'score sheet % is submitted and locked', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.submitted_at IS NOT NULL AND (
        NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
        OR NEW.comment IS DISTINCT FROM OLD.comment
        OR NEW.reviewer_id IS DISTINCT FROM OLD.reviewer_id
        OR NEW.application_id IS DISTINCT FROM OLD.application_id
    ) THEN
        RAISE EXCEPTION 'score sheet % is submitted and locked', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER pilots_dimension_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON pilots_rubricdimension FOR EACH ROW EXECUTE FUNCTION pilots_refuse_frozen_dimension();
CREATE TRIGGER pilots_item_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON pilots_rubricitem FOR EACH ROW EXECUTE FUNCTION pilots_refuse_frozen_item();
CREATE TRIGGER pilots_round_stays_frozen BEFORE UPDATE
    ON pilots_evaluationround FOR EACH ROW EXECUTE FUNCTION pilots_refuse_unfreezing();
CREATE TRIGGER pilots_score_locked BEFORE INSERT OR UPDATE OR DELETE
    ON pilots_itemscore FOR EACH ROW EXECUTE FUNCTION pilots_refuse_submitted_score();
CREATE TRIGGER pilots_sheet_locked BEFORE UPDATE OR DELETE
    ON pilots_reviewerassignment FOR EACH ROW EXECUTE FUNCTION pilots_refuse_reopening_sheet();
"""

DROP_GUARDS = """
DROP TRIGGER IF EXISTS pilots_sheet_locked ON pilots_reviewerassignment;
DROP TRIGGER IF EXISTS pilots_score_locked ON pilots_itemscore;
DROP TRIGGER IF EXISTS pilots_round_stays_frozen ON pilots_evaluationround;
DROP TRIGGER IF EXISTS pilots_item_frozen ON pilots_rubricitem;
DROP TRIGGER IF EXISTS pilots_dimension_frozen ON pilots_rubricdimension;
DROP FUNCTION IF EXISTS pilots_refuse_reopening_sheet();
DROP FUNCTION IF EXISTS pilots_refuse_submitted_score();
DROP FUNCTION IF EXISTS pilots_refuse_unfreezing();
DROP FUNCTION IF EXISTS pilots_refuse_frozen_item();
DROP FUNCTION IF EXISTS pilots_refuse_frozen_dimension();
DROP FUNCTION IF EXISTS pilots_round_is_frozen(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [migrations.RunSQL(GUARDS, DROP_GUARDS)]
