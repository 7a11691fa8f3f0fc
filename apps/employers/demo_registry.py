"""Demo registry shaped like the report: unions, 67 federation centres, the report's employers."""

from apps.core.validators import make_credit_code

# Keys other demo modules use to find the report's employers (credit codes are fictitious).
DEMO_EMPLOYER_CODES = {
    "xinda_steel": make_credit_code("91130283MA0000000"),  # 河北鑫达钢铁集团: own kindergarten
    "wanjia_market": make_credit_code("91130283MA0000001"),  # 万嘉国际家居建材城: co-built
    "kaida_trading": make_credit_code("91130283MA0000002"),  # 凯达工贸: premises + bought places
    "guangcai_education": make_credit_code("91130283MA0000003"),  # 光彩学前教育集团: 6 kindergartens
    "state_grid_qianan": make_credit_code("91130283MA0GWQAGD"),  # 国网迁安市供电公司
    "chengxin_construction": make_credit_code("91130283MA0000005"),  # 诚信建业
    "pending_employer": make_credit_code("91130283MA0000007"),  # a sign-up awaiting approval
}
