<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraPane</name>
    <message>
        <location filename="../camera_pane.py" line="76"/>
        <location filename="../camera_pane.py" line="100"/>
        <location filename="../camera_pane.py" line="106"/>
        <source>Camera off</source>
        <translation>摄像头已关闭</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="83"/>
        <location filename="../camera_pane.py" line="102"/>
        <location filename="../camera_pane.py" line="130"/>
        <source>Camera on</source>
        <translation>打开摄像头</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="105"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="122"/>
        <source>Camera working</source>
        <translation>摄像头工作正常</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="123"/>
        <source>Camera lost: trying again. Type or use the hand scanner.</source>
        <translation>摄像头断开：正在重试。请手动输入或使用扫码枪。</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="124"/>
        <source>Video finished</source>
        <translation>视频已结束</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="125"/>
        <source>Camera cannot be opened</source>
        <translation>无法打开摄像头</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="134"/>
        <source>Read: {0}</source>
        <translation>已读取：{0}</translation>
    </message>
    <message>
        <location filename="../camera_pane.py" line="135"/>
        <source>Not one of our codes</source>
        <translation>不是本店的码</translation>
    </message>
</context>
<context>
    <name>CheckoutDialog</name>
    <message>
        <location filename="../checkout_dialog.py" line="34"/>
        <source>Checkout</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="48"/>
        <source>Use most</source>
        <translation>用到上限</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="51"/>
        <source>Scan or type a coupon code</source>
        <translation>扫描或输入优惠券码</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="55"/>
        <source>Pick one of the member&apos;s coupons…</source>
        <translation>选择会员的优惠券…</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="58"/>
        <source>{0} (until {1})</source>
        <translation>{0}（有效期至 {1}）</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="61"/>
        <source>Use balance</source>
        <translation>使用余额</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="63"/>
        <source>Exact cash</source>
        <translation>现金刚好</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="69"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="71"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="76"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="78"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="81"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="82"/>
        <source>Balance {0}</source>
        <translation>余额 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="83"/>
        <source>Cash given</source>
        <translation>收取现金</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="84"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="85"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="133"/>
        <source>points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="157"/>
        <source>pricing the sale</source>
        <translation>正在计算价格</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="164"/>
        <source>Total due {0}</source>
        <translation>应付 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="165"/>
        <source>Subtotal {0}</source>
        <translation>小计 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="166"/>
        <source>member discount</source>
        <translation>会员折扣</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="167"/>
        <source>line discounts</source>
        <translation>单品折扣</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="168"/>
        <source>coupon {0}</source>
        <translation>优惠券 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="170"/>
        <source>{0} points</source>
        <translation>{0} 积分</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="177"/>
        <source>The member has {0} points; at most {1} can be used on this bill</source>
        <translation>会员有 {0} 积分；本单最多可用 {1} 积分</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="192"/>
        <source>Left to pay {0}</source>
        <translation>还需支付 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="194"/>
        <source>Change {0}</source>
        <translation>找零 {0}</translation>
    </message>
    <message>
        <location filename="../checkout_dialog.py" line="253"/>
        <source>Recording the sale</source>
        <translation>正在记录销售</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../app.py" line="80"/>
        <source>Member Terminal — {0}</source>
        <translation>会员终端 — {0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="85"/>
        <source>Scan a member code or item, or type a phone, card, name or SKU, then Enter</source>
        <translation>扫描会员码或商品，或输入手机号、卡号、姓名或商品编码后按回车</translation>
    </message>
    <message>
        <location filename="../app.py" line="100"/>
        <source>Enrol</source>
        <translation>入会</translation>
    </message>
    <message>
        <location filename="../app.py" line="101"/>
        <source>Top up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../app.py" line="102"/>
        <source>Punch visit</source>
        <translation>次卡消费</translation>
    </message>
    <message>
        <location filename="../app.py" line="103"/>
        <source>Checkout</source>
        <translation>结账</translation>
    </message>
    <message>
        <location filename="../app.py" line="105"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../app.py" line="106"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../app.py" line="107"/>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../app.py" line="108"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../app.py" line="149"/>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location filename="../app.py" line="167"/>
        <source>opening the database</source>
        <translation>正在打开数据库</translation>
    </message>
    <message>
        <location filename="../app.py" line="186"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../app.py" line="193"/>
        <source>Waiting for the database… ({0}, {1} s)</source>
        <translation>正在等待数据库…（{0}，{1} 秒）</translation>
    </message>
    <message>
        <location filename="../app.py" line="199"/>
        <source>Ready. {0} members.</source>
        <translation>就绪。共 {0} 位会员。</translation>
    </message>
    <message>
        <location filename="../app.py" line="204"/>
        <source>reading the member-code key</source>
        <translation>读取会员码密钥</translation>
    </message>
    <message>
        <location filename="../app.py" line="207"/>
        <location filename="../app.py" line="247"/>
        <source>listing the staff</source>
        <translation>读取员工名单</translation>
    </message>
    <message>
        <location filename="../app.py" line="214"/>
        <source>backing up</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../app.py" line="218"/>
        <source>Today&apos;s backup is made.</source>
        <translation>今日备份已完成。</translation>
    </message>
    <message>
        <location filename="../app.py" line="221"/>
        <source>Today&apos;s backup failed: {0}</source>
        <translation>今日备份失败：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="230"/>
        <source>No staff accounts yet: add the owner with &apos;member-terminal staff add&apos;.</source>
        <translation>还没有员工账号：请用“member-terminal staff add”添加店主。</translation>
    </message>
    <message>
        <location filename="../app.py" line="240"/>
        <source>Cashier: {0}</source>
        <translation>收银员：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="241"/>
        <source>Signed in: {0}</source>
        <translation>已登录：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="253"/>
        <source>A manager&apos;s PIN opens reports, campaigns, the audit log and member privacy.</source>
        <translation>输入店长密码，打开报表、营销活动、审计日志和会员隐私。</translation>
    </message>
    <message>
        <location filename="../app.py" line="271"/>
        <source>Not one of our codes: {0}</source>
        <translation>不是本店的码：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="277"/>
        <location filename="../app.py" line="294"/>
        <source>The database could not be opened: {0}</source>
        <translation>无法打开数据库：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="279"/>
        <source>No database: check the settings and restart.</source>
        <translation>没有数据库：请检查设置后重启。</translation>
    </message>
    <message>
        <location filename="../app.py" line="298"/>
        <source>Still opening the database; try again in a moment.</source>
        <translation>数据库仍在打开，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../app.py" line="301"/>
        <source>Looking up {0}…</source>
        <translation>正在查找 {0}…</translation>
    </message>
    <message>
        <location filename="../app.py" line="310"/>
        <source>looking up</source>
        <translation>正在查找</translation>
    </message>
    <message>
        <location filename="../app.py" line="317"/>
        <source>Added {0}</source>
        <translation>已添加 {0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="321"/>
        <source>Coupon {0} will be applied at checkout</source>
        <translation>结账时将使用优惠券 {0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="324"/>
        <source>{0} members found: pick one</source>
        <translation>找到 {0} 位会员：请选择</translation>
    </message>
    <message>
        <location filename="../app.py" line="341"/>
        <source>reading the member</source>
        <translation>正在读取会员</translation>
    </message>
    <message>
        <location filename="../app.py" line="315"/>
        <source>Member: {0}</source>
        <translation>会员：{0}</translation>
    </message>
    <message>
        <location filename="../app.py" line="367"/>
        <source>pricing the basket</source>
        <translation>正在计算购物篮价格</translation>
    </message>
    <message>
        <location filename="../app.py" line="382"/>
        <source>Scan or find the member first.</source>
        <translation>请先扫描或查找会员。</translation>
    </message>
    <message>
        <location filename="../app.py" line="393"/>
        <source>Welcome, {0}: card {1}</source>
        <translation>欢迎，{0}：卡号 {1}</translation>
    </message>
    <message>
        <location filename="../app.py" line="408"/>
        <source>{0} has no punch card.</source>
        <translation>{0} 没有次卡。</translation>
    </message>
    <message>
        <location filename="../app.py" line="418"/>
        <source>The basket is empty: scan an item or type an amount.</source>
        <translation>购物篮是空的：请扫描商品或输入金额。</translation>
    </message>
    <message>
        <location filename="../app.py" line="441"/>
        <source>Done: receipt {0}</source>
        <translation>完成：小票 {0}</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../enrol_dialog.py" line="28"/>
        <source>Enrol a member</source>
        <translation>会员入会</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="34"/>
        <source>e.g. 138 0013 8000</source>
        <translation>例如 138 0013 8000</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="37"/>
        <source>Agrees to receive offers</source>
        <translation>同意接收优惠信息</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="38"/>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="48"/>
        <source>Their referral code (optional)</source>
        <translation>推荐人的推荐码（可选）</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="51"/>
        <source>Enrol</source>
        <translation>入会</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="53"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="57"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="58"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="61"/>
        <source>Referrer</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="87"/>
        <source>Phone number OK</source>
        <translation>手机号有效</translation>
    </message>
    <message>
        <location filename="../enrol_dialog.py" line="99"/>
        <source>Enrolling</source>
        <translation>正在入会</translation>
    </message>
</context>
<context>
    <name>ManagerPinDialog</name>
    <message>
        <location filename="../manager_pin.py" line="28"/>
        <source>Manager approval</source>
        <translation>店长授权</translation>
    </message>
    <message>
        <location filename="../manager_pin.py" line="34"/>
        <source>Manager PIN</source>
        <translation>店长密码</translation>
    </message>
    <message>
        <location filename="../manager_pin.py" line="35"/>
        <source>Approve</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../manager_pin.py" line="37"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../manager_pin.py" line="58"/>
        <source>Checking the PIN</source>
        <translation>正在核对密码</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../member_panel.py" line="66"/>
        <source>No member</source>
        <translation>未选择会员</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="72"/>
        <source>Card {0}   Phone {1}
Referral code {2}</source>
        <translation>卡号 {0}   手机 {1}
推荐码 {2}</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="76"/>
        <source>Birthday this week</source>
        <translation>本周生日</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="78"/>
        <source>New member</source>
        <translation>新会员</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="80"/>
        <source>Lapsed: welcome back</source>
        <translation>久未到店：欢迎回来</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="83"/>
        <source>{0} member, {1}% off</source>
        <translation>{0}会员，优惠 {1}%</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="90"/>
        <source>Spend {0} more for {1}</source>
        <translation>再消费 {0} 升级为{1}</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="95"/>
        <source>Top tier</source>
        <translation>最高等级</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="96"/>
        <source>{0} points (worth {1})</source>
        <translation>{0} 积分（价值 {1}）</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="98"/>
        <source>Stored value {0}</source>
        <translation>储值 {0}</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="101"/>
        <source>{0} points expire on {1}</source>
        <translation>{0} 积分将于 {1} 过期</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="105"/>
        <source>{0}: {1}/{2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../member_panel.py" line="109"/>
        <source>Coupon {0} until {1}</source>
        <translation>优惠券 {0}，至 {1}</translation>
    </message>
</context>
<context>
    <name>PickDialog</name>
    <message>
        <location filename="../pick_dialog.py" line="19"/>
        <source>Which member?</source>
        <translation>哪位会员？</translation>
    </message>
    <message>
        <location filename="../pick_dialog.py" line="27"/>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../pick_dialog.py" line="29"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PrintPane</name>
    <message>
        <location filename="../print_pane.py" line="60"/>
        <location filename="../print_pane.py" line="105"/>
        <source>Printer: all printed</source>
        <translation>打印机：全部已打印</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="65"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="66"/>
        <source>Reprint last sale</source>
        <translation>重打上一张小票</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="95"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="95"/>
        <source>printing</source>
        <translation>打印中</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="96"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="107"/>
        <source>Printer: {0} failed, {1} waiting</source>
        <translation>打印机：{0} 张失败，{1} 张等待</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="110"/>
        <source>Printer: {0} waiting</source>
        <translation>打印机：{0} 张等待</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="116"/>
        <source>Nothing is waiting to print.</source>
        <translation>没有等待打印的内容。</translation>
    </message>
    <message>
        <location filename="../print_pane.py" line="144"/>
        <source>Could not reach the print queue: {0}</source>
        <translation>无法连接打印队列：{0}</translation>
    </message>
</context>
<context>
    <name>PunchDialog</name>
    <message>
        <location filename="../punch_dialog.py" line="24"/>
        <source>Use a punch card visit</source>
        <translation>使用次卡</translation>
    </message>
    <message>
        <location filename="../punch_dialog.py" line="29"/>
        <source>{0}: {1}/{2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../punch_dialog.py" line="33"/>
        <source>Use one visit</source>
        <translation>使用一次</translation>
    </message>
    <message>
        <location filename="../punch_dialog.py" line="35"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../punch_dialog.py" line="53"/>
        <source>the member has no punch card</source>
        <translation>该会员没有次卡</translation>
    </message>
    <message>
        <location filename="../punch_dialog.py" line="58"/>
        <source>Recording the visit</source>
        <translation>正在记录次卡消费</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <location filename="../receipt_view.py" line="21"/>
        <source>The receipt of the last sale appears here.</source>
        <translation>最近一笔交易的小票显示在这里。</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="33"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="33"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="33"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="34"/>
        <source>Top-up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="34"/>
        <source>Punch card visit</source>
        <translation>次卡消费</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="35"/>
        <source>Top-up reversal</source>
        <translation>充值撤销</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="36"/>
        <source>Stored value refund</source>
        <translation>储值退款</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="37"/>
        <source>Points adjustment</source>
        <translation>积分调整</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="38"/>
        <source>Line discount</source>
        <translation>单品折扣</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="38"/>
        <source>Member discount</source>
        <translation>会员折扣</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="39"/>
        <source>Coupon</source>
        <translation>优惠券</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="39"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="40"/>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="40"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="41"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="41"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="42"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="47"/>
        <source>For receipt {0}</source>
        <translation>原小票 {0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="53"/>
        <source>saved {0}</source>
        <translation>节省 {0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="54"/>
        <source>Subtotal: {0}</source>
        <translation>小计：{0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="56"/>
        <source>Total: {0}</source>
        <translation>合计：{0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="59"/>
        <source>Change: {0}</source>
        <translation>找零：{0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="61"/>
        <source>Top-up bonus: {0}</source>
        <translation>充值赠送：{0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="65"/>
        <source>Card {0}  {1}</source>
        <translation>卡号 {0}  {1}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="66"/>
        <source>Points earned {0}, used {1}, balance {2}</source>
        <translation>本次得积分 {0}，使用 {1}，余额 {2}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="68"/>
        <source>Stored value balance: {0}</source>
        <translation>储值余额：{0}</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="70"/>
        <source>{0} points expire on {1}</source>
        <translation>{0} 积分将于 {1} 过期</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="72"/>
        <source>{0}: {1} of {2} visits left</source>
        <translation>{0}：剩余 {1}/{2} 次</translation>
    </message>
    <message>
        <location filename="../receipt_view.py" line="75"/>
        <source>Coupon for next time: {0} ({1}), until {2}</source>
        <translation>下次可用优惠券：{0}（{1}），至 {2}</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <location filename="../refund_dialog.py" line="40"/>
        <source>Refund or void a sale</source>
        <translation>退款或作废销售</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="44"/>
        <source>Receipt number, e.g. {0}-000042</source>
        <translation>小票号，例如 {0}-000042</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="47"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="51"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="51"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="52"/>
        <source>Return</source>
        <translation>退回数量</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="56"/>
        <source>Void the whole sale (today&apos;s sales only)</source>
        <translation>整单作废（仅限当天销售）</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="59"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="61"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="63"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="89"/>
        <source>Finding the sale…</source>
        <translation>正在查找销售…</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="91"/>
        <source>finding the sale</source>
        <translation>正在查找销售</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="97"/>
        <source>{0}  {1}  {2}  total {3}  {4}</source>
        <translation>{0}  {1}  {2}  合计 {3}  {4}</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="98"/>
        <source>no member</source>
        <translation>非会员</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="125"/>
        <source>find the sale first</source>
        <translation>请先查找销售</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="128"/>
        <source>choose at least one item to return</source>
        <translation>请至少选择一件退回的商品</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="133"/>
        <source>A manager approves voiding receipt {0}.</source>
        <translation>需店长授权作废小票 {0}。</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="134"/>
        <source>A manager approves the refund of receipt {0}.</source>
        <translation>需店长授权小票 {0} 的退款。</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="142"/>
        <source>Not refunded: a refund or void needs a manager&apos;s approval.</source>
        <translation>未退款：退款或作废需要店长授权。</translation>
    </message>
    <message>
        <location filename="../refund_dialog.py" line="154"/>
        <source>Recording the refund</source>
        <translation>正在记录退款</translation>
    </message>
</context>
<context>
    <name>SalePanel</name>
    <message>
        <location filename="../sale_panel.py" line="47"/>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="47"/>
        <location filename="../sale_panel.py" line="65"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="47"/>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="47"/>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="48"/>
        <location filename="../sale_panel.py" line="125"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="60"/>
        <source>+1</source>
        <translation>+1</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="61"/>
        <source>−1</source>
        <translation>−1</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="62"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="67"/>
        <source>Set qty</source>
        <translation>改数量</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="70"/>
        <source>Quick amount, e.g. 25.50</source>
        <translation>快捷金额，例如 25.50</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="71"/>
        <source>Add amount</source>
        <translation>加金额</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="179"/>
        <source>the basket is empty: scan an item first</source>
        <translation>购物篮是空的：请先扫描商品</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="180"/>
        <source>a quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="231"/>
        <source>Scan an item, or type a quick amount</source>
        <translation>扫描商品，或输入快捷金额</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="234"/>
        <source>Pricing…</source>
        <translation>正在计价…</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="239"/>
        <source>{0} items   Subtotal {1}   Discounts -{2}</source>
        <translation>{0} 件   小计 {1}   优惠 -{2}</translation>
    </message>
    <message>
        <location filename="../sale_panel.py" line="241"/>
        <source>Total {0}</source>
        <translation>合计 {0}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../sign_in.py" line="21"/>
        <location filename="../sign_in.py" line="36"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="25"/>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="25"/>
        <source>manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="26"/>
        <source>owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="34"/>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="42"/>
        <source>Who is at the counter?</source>
        <translation>谁在收银台？</translation>
    </message>
    <message>
        <location filename="../sign_in.py" line="56"/>
        <source>Signing in</source>
        <translation>正在登录</translation>
    </message>
</context>
<context>
    <name>TopUpDialog</name>
    <message>
        <location filename="../topup_dialog.py" line="35"/>
        <source>Top up stored value</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="40"/>
        <source>pay {0}, get {1} extra</source>
        <translation>充 {0} 送 {1}</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="50"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="50"/>
        <source>Card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="51"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="53"/>
        <source>Top up</source>
        <translation>充值</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="55"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="58"/>
        <source>{0}: balance {1}</source>
        <translation>{0}：余额 {1}</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="62"/>
        <source>Amount paid</source>
        <translation>充值金额</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="63"/>
        <source>Paid by</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="91"/>
        <source>Bonus {0}: the member gets {1}</source>
        <translation>赠送 {0}：会员到账 {1}</translation>
    </message>
    <message>
        <location filename="../topup_dialog.py" line="104"/>
        <source>Recording the top-up</source>
        <translation>正在记录充值</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <location filename="../widgets.py" line="42"/>
        <source>The database is busy (another terminal is writing). Nothing was saved; try again.</source>
        <translation>数据库繁忙（另一台终端正在写入）。未保存任何内容，请重试。</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="47"/>
        <source>Something went wrong: {0}. Nothing typed is lost; try again.</source>
        <translation>出错了：{0}。已输入的内容都保留着，请重试。</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="78"/>
        <source>an amount is needed</source>
        <translation>需要输入金额</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="81"/>
        <source>an amount cannot be negative: {0}</source>
        <translation>金额不能为负数：{0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="84"/>
        <source>an amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="95"/>
        <source>{0} is needed</source>
        <translation>需要输入{0}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="99"/>
        <source>{0} must be a whole number, not {1}</source>
        <translation>{0}必须是整数，不能是 {1}</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="103"/>
        <source>{0} must be at least {1}</source>
        <translation>{0}至少为 {1}</translation>
    </message>
</context>
</TS>
